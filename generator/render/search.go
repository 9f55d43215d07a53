package render

import (
	"bytes"
	"strings"
	"time"

	"github.com/foyerhub/foyer/generator/internal/par"
	"github.com/foyerhub/foyer/generator/search"
	"github.com/foyerhub/foyer/generator/site"
)

// SearchDir is the folder of the search page and its index files.
const SearchDir = "search/"

// IsSearchIndex reports whether the output path p is a file of the search
// index, which SearchIndexJobs makes, rather than the search page.
func IsSearchIndex(p string) bool {
	return strings.HasPrefix(p, SearchDir) && p != outPath("/"+SearchDir)
}

// SearchIndexJobs are the jobs of Plan that make the search index's
// files, the manifest last, or none when search is off. After article
// bodies change in place (site.Site.SetBody), new ones replace Plan's:
// the index's file list depends on the words found.
func (r *Renderer) SearchIndexJobs() []Job {
	return r.searchJobsCached(r.Search)
}

// searchJobsCached are searchJobs, reusing what c holds. The index's
// file list depends on the terms found, so the documents are analysed
// here; the documents' files and the manifest, which hashes every other
// file, are made by their jobs. A document's file shows that document
// alone: it depends on its article's slug (or its page), so that an
// incremental build renders again only the files of the documents that
// changed, or moved to another id.
func (r *Renderer) searchJobsCached(c *search.Cache) []Job {
	s := r.Site
	if !s.Config.Search.Enabled {
		return nil
	}
	f := r.Theme.Funcs()
	docs, deps := searchDocs(s, f.Date, f.Rel)
	idx := search.Prepare(docs, search.Options{Lang: s.Config.Language, Cache: c, Text: func(i int) string {
		return s.PlainText(docPage(s, i))
	}})
	jobs := make([]Job, 0, idx.Len())
	all := []string{"*"}
	file := func(i int, deps []string) Job {
		return Job{Path: SearchDir + idx.Path(i), Deps: deps, Write: func(b *bytes.Buffer) error {
			idx.WriteData(b, i)
			return nil
		}}
	}
	for i := 1; i < idx.Len(); i++ {
		if d := idx.Doc(i); d >= 0 {
			jobs = append(jobs, file(i, deps[d]))
		} else {
			jobs = append(jobs, file(i, all))
		}
	}
	// The manifest comes last: the files it hashes are made by then.
	return append(jobs, file(0, all))
}

// SearchDocs lists what the index holds: published articles and pages,
// with approved comments when the site asks for them. Only fields the
// site shows are read (never an e-mail or IP address); date formats a
// day as the theme does and rel turns a site path into a link under
// base_url.
func SearchDocs(s *site.Site, date func(time.Time) string, rel func(string) string) []search.Doc {
	docs, _ := searchDocs(s, date, rel)
	par.Each(len(docs), func(i int) { docs[i].Body = s.PlainText(docPage(s, i)) })
	return docs
}

// searchDocs is SearchDocs, on every core, with the Deps of each
// document's file, and without the documents' text, which search.Prepare
// asks for one document at a time (docPage).
func searchDocs(s *site.Site, date func(time.Time) string, rel func(string) string) ([]search.Doc, [][]string) {
	n := len(s.Articles)
	docs := make([]search.Doc, n+len(s.Pages))
	deps := make([][]string, len(docs))
	par.Each(len(docs), func(i int) {
		if i >= n {
			p := s.Pages[i-n]
			docs[i], deps[i] = pageDoc(p, date, rel), pageDeps(p)
			docs[i].Date, docs[i].DateText = time.Time{}, ""
			return
		}
		a := s.Articles[i]
		docs[i], deps[i] = articleDoc(s, a, date, rel), articleOwnDeps(a)
	})
	return docs, deps
}

// docPage is the page of searchDocs' document i.
func docPage(s *site.Site, i int) *site.Page {
	if n := len(s.Articles); i >= n {
		return s.Pages[i-n]
	}
	return &s.Articles[i].Page
}

func articleDoc(s *site.Site, a *site.Article, date func(time.Time) string, rel func(string) string) search.Doc {
	d := pageDoc(&a.Page, date, rel)
	d.Author = a.AuthorName
	for _, terms := range [][]*site.Term{a.Categories, a.Tags} {
		for _, t := range terms {
			d.Terms = append(d.Terms, t.Name)
		}
	}
	if s.Config.Search.Comments && a.Thread != nil {
		for _, cm := range a.Thread.Flat {
			d.Comments = append(d.Comments, s.CommentText(cm))
		}
	}
	return d
}

func pageDoc(p *site.Page, date func(time.Time) string, rel func(string) string) search.Doc {
	return search.Doc{URL: rel(p.URL), Title: p.Title, Date: p.Date, DateText: date(p.Date), Summary: p.Description}
}
