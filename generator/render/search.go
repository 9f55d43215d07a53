package render

import (
	"html/template"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/foyerhub/foyer/generator/markdown"
	"github.com/foyerhub/foyer/generator/search"
	"github.com/foyerhub/foyer/generator/site"
)

// SearchDir is the folder of the search page and its index files.
const SearchDir = "search/"

// SearchCache keeps the search index's work between builds of one
// process (foyer serve): the plain text of articles, pages and comments,
// by content path and HTML, and the analysed documents (search.Cache).
// A rebuild then converts and analyses only what changed. HTML that
// site.Cache reuses is the same string from one build to the next, and
// compares at once. It is safe for concurrent use; a nil *SearchCache
// keeps nothing. Like site.Cache, it keeps the texts of removed
// documents.
type SearchCache struct {
	index *search.Cache

	mu    sync.Mutex
	plain map[string]plainText // by content path
}

type plainText struct{ html, text string }

// NewSearchCache returns an empty cache.
func NewSearchCache() *SearchCache {
	return &SearchCache{index: search.NewCache(), plain: make(map[string]plainText)}
}

// plainText is markdown.PlainText of h, the HTML of the content file at
// path, reused while h is unchanged.
func (c *SearchCache) plainText(path string, h template.HTML) string {
	if c == nil {
		return markdown.PlainText(string(h))
	}
	c.mu.Lock()
	hit, ok := c.plain[path]
	c.mu.Unlock()
	if ok && hit.html == string(h) {
		return hit.text
	}
	text := markdown.PlainText(string(h))
	c.mu.Lock()
	c.plain[path] = plainText{html: string(h), text: text}
	c.mu.Unlock()
	return text
}

func (c *SearchCache) indexCache() *search.Cache {
	if c == nil {
		return nil
	}
	return c.index
}

// searchJobs are the search page and the index files, or nothing when
// search is off.
func (r *Renderer) searchJobs(add func(url, layout string, deps []string, d Data)) []Job {
	return r.searchJobsCached(r.Search, add)
}

// searchJobsCached are searchJobs, reusing what c holds. The index's
// file list depends on the terms found, so the documents are analysed
// here; the documents' files and the manifest, which hashes every other
// file, are made by their jobs. A document's file shows that document
// alone: it depends on its article's slug (or its page), so that an
// incremental build renders again only the files of the documents that
// changed, or moved to another id.
func (r *Renderer) searchJobsCached(c *SearchCache, add func(url, layout string, deps []string, d Data)) []Job {
	s := r.Site
	if !s.Config.Search.Enabled {
		return nil
	}
	f := r.Theme.Funcs()
	docs, deps := searchDocs(s, f.Date, f.Rel, c)
	idx := search.Prepare(docs, search.Options{Lang: s.Config.Language, Cache: c.indexCache()})
	jobs := make([]Job, 0, idx.Len())
	all := []string{"*"}
	file := func(i int, deps []string) Job {
		return Job{Path: SearchDir + idx.Path(i), Deps: deps, Make: func() ([]byte, error) { return idx.Data(i), nil }}
	}
	for i := 1; i < idx.Len(); i++ {
		if d := idx.Doc(i); d >= 0 {
			jobs = append(jobs, file(i, deps[d]))
		} else {
			jobs = append(jobs, file(i, all))
		}
	}
	// The manifest comes last: the files it hashes are made by then.
	jobs = append(jobs, file(0, all))
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
	docs, _ := searchDocs(s, date, rel, nil)
	return docs
}

// searchDocs is SearchDocs, on every core, with the plain text c holds,
// and the Deps of each document's file.
func searchDocs(s *site.Site, date func(time.Time) string, rel func(string) string, c *SearchCache) ([]search.Doc, [][]string) {
	n := len(s.Articles)
	docs := make([]search.Doc, n+len(s.Pages))
	deps := make([][]string, len(docs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(1, len(docs))) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(docs); i = int(next.Add(1) - 1) {
				if i >= n {
					p := s.Pages[i-n]
					docs[i], deps[i] = pageDoc(p, date, rel, c), []string{"page:" + p.Source}
					docs[i].Date, docs[i].DateText = time.Time{}, ""
					continue
				}
				a := s.Articles[i]
				docs[i], deps[i] = articleDoc(s, a, date, rel, c), []string{a.Slug}
			}
		})
	}
	wg.Wait()
	return docs, deps
}

func articleDoc(s *site.Site, a *site.Article, date func(time.Time) string, rel func(string) string, c *SearchCache) search.Doc {
	d := pageDoc(&a.Page, date, rel, c)
	d.Author = a.AuthorName
	for _, terms := range [][]*site.Term{a.Categories, a.Tags} {
		for _, t := range terms {
			d.Terms = append(d.Terms, t.Name)
		}
	}
	if s.Config.Search.Comments && a.Thread != nil {
		for _, cm := range a.Thread.Flat {
			d.Comments = append(d.Comments, c.plainText(cm.Source, cm.Content))
		}
	}
	return d
}

func pageDoc(p *site.Page, date func(time.Time) string, rel func(string) string, c *SearchCache) search.Doc {
	return search.Doc{
		URL: rel(p.URL), Title: p.Title, Date: p.Date, DateText: date(p.Date),
		Summary: p.Description, Body: c.plainText(p.Source, p.Content),
	}
}
