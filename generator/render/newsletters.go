package render

// newslettersFeed is the Atom feed of the archived newsletter issues.
var newslettersFeed = Feed{Type: "application/atom+xml", URL: "/newsletters/atom.xml"}

// NewslettersAtom renders the Atom feed of archived issues, newest
// first: each entry links to the issue's page and carries its content.
func (r *Renderer) NewslettersAtom() ([]byte, error) {
	cfg := r.Site.Config
	self := cfg.URL("newsletters/atom.xml")
	f := AtomFeed{
		Lang: cfg.Language, Title: cfg.Title + " – " + r.Theme.T("newsletters"), ID: self,
		Links: []AtomLink{{Href: self, Rel: "self", Type: "application/atom+xml"}, {Href: cfg.URL("newsletters/"), Rel: "alternate", Type: "text/html"}},
	}
	issues := r.Site.Newsletters[:min(len(r.Site.Newsletters), cfg.Feeds.Limit)]
	var updated string
	for _, p := range issues {
		e := AtomEntry{
			Title: p.Title, ID: p.Permalink, Links: []AtomLink{{Href: p.Permalink, Rel: "alternate", Type: "text/html"}},
			Published: atomTime(p.Date), Updated: atomTime(p.Lastmod()), Author: &AtomPerson{Name: cfg.Title},
			Summary: &AtomText{Type: "text", Value: p.Description},
			Content: &AtomText{Type: "html", Value: absolutise(p.Body.String(), cfg.BaseURL)},
		}
		if e.Updated > updated {
			updated = e.Updated
		}
		f.Entries = append(f.Entries, e)
	}
	f.Updated = updated
	return AtomXML(f)
}
