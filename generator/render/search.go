package render

import (
	"time"

	"github.com/foyerhub/foyer/generator/markdown"
	"github.com/foyerhub/foyer/generator/search"
	"github.com/foyerhub/foyer/generator/site"
)

// SearchDir is the folder of the search page and its index files.
const SearchDir = "search/"

// searchJobs are the search page and the index files, or nothing when
// search is off. The index is built here, once: its file list depends
// on the terms found.
func (r *Renderer) searchJobs(add func(url, layout string, deps []string, d Data)) []Job {
	s := r.Site
	if !s.Config.Search.Enabled {
		return nil
	}
	idx := search.Build(SearchDocs(s, r.Theme.Funcs().Date, r.Theme.Funcs().Rel), search.Options{Lang: s.Config.Language})
	jobs := make([]Job, 0, len(idx.Files)+1)
	all := []string{"*"}
	for _, f := range idx.Files {
		jobs = append(jobs, Job{Path: SearchDir + f.Path, Deps: all, Make: func() ([]byte, error) { return f.Data, nil }})
	}
	if r.Theme.Has("search") {
		add("/"+SearchDir, "search", []string{"layout"}, Data{Kind: "search", Title: r.Theme.T("search")})
	}
	return jobs
}

// SearchDocs lists what the index holds: published articles and pages,
// with approved comments when the site asks for them. Only fields the
// site shows are read (never an e-mail or IP address); date formats a
// day as the theme does and rel turns a site path into a link under
// base_url.
func SearchDocs(s *site.Site, date func(time.Time) string, rel func(string) string) []search.Doc {
	docs := make([]search.Doc, 0, len(s.Articles)+len(s.Pages))
	for _, a := range s.Articles {
		d := pageDoc(&a.Page, date, rel)
		d.Author = a.AuthorName
		for _, terms := range [][]*site.Term{a.Categories, a.Tags} {
			for _, t := range terms {
				d.Terms = append(d.Terms, t.Name)
			}
		}
		if s.Config.Search.Comments && a.Thread != nil {
			for _, c := range a.Thread.Flat {
				d.Comments = append(d.Comments, markdown.PlainText(string(c.Content)))
			}
		}
		docs = append(docs, d)
	}
	for _, p := range s.Pages {
		d := pageDoc(p, date, rel)
		d.Date, d.DateText = time.Time{}, ""
		docs = append(docs, d)
	}
	return docs
}

func pageDoc(p *site.Page, date func(time.Time) string, rel func(string) string) search.Doc {
	return search.Doc{
		URL: rel(p.URL), Title: p.Title, Date: p.Date, DateText: date(p.Date),
		Summary: p.Description, Body: markdown.PlainText(string(p.Content)),
	}
}
