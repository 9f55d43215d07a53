package site_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/foyerhub/foyer/generator/build"
	"github.com/foyerhub/foyer/generator/internal/sitetest"
	"github.com/foyerhub/foyer/generator/site"
)

func ids(cs []*site.Contribution) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return strings.Join(out, " ")
}

func TestThreadShape(t *testing.T) {
	out := sitetest.Build(t, sitetest.Load(t, "threads"), build.Options{})
	a := out.Model.Site.Article("sujet")
	th := a.Thread
	if got := ids(th.Comments); got != "a orphan loop2 spam ghost" {
		t.Errorf("top level = %q", got)
	}
	if th.Count != 10 {
		t.Errorf("count = %d, want 10 approved comments", th.Count)
	}
	if got := ids(th.Mentions); got != "ping" {
		t.Errorf("mentions = %q", got)
	}
	c := th.Comments[0]
	if loop := th.Comments[2]; ids(loop.Replies) != "loop1" {
		t.Errorf("loop2 should keep loop1 as its reply once the loop is cut, has %q", ids(loop.Replies))
	}
	if ids(c.Replies) != "b" || ids(c.Replies[0].Replies) != "c" || c.Replies[0].Replies[0].Depth != 2 {
		t.Errorf("a's replies are not nested: %q", ids(c.Replies))
	}
	// max_depth 3: levels 0, 1, 2 nest; below c, d and e show flat.
	deep := c.Replies[0].Replies[0]
	if got := ids(deep.Nested); got != "d e" || !deep.Nested[1].Capped || deep.Nested[1].Depth != 4 || deep.Nested[1].Level != 3 {
		t.Errorf("capped replies = %q", got)
	}
	removed := th.Comments[3]
	if !removed.Removed || removed.AuthorName != "" || removed.Content() != "" || ids(removed.Replies) != "after-spam" {
		t.Errorf("spam parent: removed=%v author=%q replies=%q", removed.Removed, removed.AuthorName, ids(removed.Replies))
	}
	var warnings []string
	for _, w := range out.Model.Warnings {
		warnings = append(warnings, w.Error())
	}
	all := strings.Join(warnings, "\n")
	for _, want := range []string{
		`content/contributions/sujet/orphan.md:4: reply_to "nobody"`,
		`content/contributions/sujet/loop2.md:4: reply_to "loop1" forms a loop`,
		`content/contributions/sujet/ghost.md:2: unknown member "fantome"`,
		`content/contributions/disparu/x.md`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
	page := out.File(t, "articles/sujet/index.html")
	for _, want := range []string{
		`<h2 id="commentaires-titre">10 commentaires</h2>`,
		`<a class="author" href="https://zoe.example/" rel="ugc nofollow">`,
		`<a class="author" href="/members/amina/">`,
		`<time datetime="2026-01-02T10:00:00Z">`,
		`<li class="comment depth-3" id="c-e">`,
		`<span class="reply-to">en réponse à <a href="#c-d">Léo</a></span>`,
		`<p class="removed">message retiré</p>`,
		`<a href="https://nadia.example/billet" rel="ugc nofollow">Un billet qui cite le sujet</a>`,
		`href="https://fils.example/articles/sujet/comments.xml"`,
		`href="https://fils.example/comments.xml"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("article page lacks %s", want)
		}
	}
	for _, bad := range []string{"Pas encore relu", "Achetez maintenant", "Pollueur", "Article introuvable"} {
		if strings.Contains(page, bad) {
			t.Errorf("article page shows unpublished %q", bad)
		}
	}
	// A reply sits inside its parent's element: c's <li> closes after d's.
	if i, j := strings.Index(page, `id="c-c"`), strings.Index(page, `id="c-d"`); i < 0 || j < i {
		t.Errorf("d is not inside c")
	}
	if m := out.Model.Site.Member("amina"); len(m.Contributions) != 1 || m.Contributions[0].ID != "b" {
		t.Errorf("amina's contributions: %v", m.Contributions)
	}
	if got := ids(out.Model.Site.Contributions[:2]); got != "ping ghost" {
		t.Errorf("recent activity starts with %q", got)
	}
}

// manyComments is a site whose one article has n approved comments,
// each replying to the one before when chain is true.
func manyComments(n int, chain bool) fstest.MapFS {
	fsys := sitetest.FS("-- foyer.yaml --\ntitle: Beaucoup\n-- content/articles/populaire.md --\n---\ntitle: Populaire\ndate: 2026-01-01\n---\nTexte.\n")
	for i := range n {
		reply := ""
		if chain && i > 0 {
			reply = fmt.Sprintf("reply_to: n%05d\n", i-1)
		}
		date := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second).Format(time.RFC3339)
		body := fmt.Sprintf("---\nauthor: Personne %d\ndate: %s\n%sstatus: approved\n---\nCommentaire numéro %d.\n", i, date, reply, i)
		fsys[fmt.Sprintf("content/contributions/populaire/n%05d.md", i)] = &fstest.MapFile{Data: []byte(body)}
	}
	return fsys
}

func TestTenThousandCommentsPaginate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 10,000 comments")
	}
	out := sitetest.Build(t, manyComments(10000, false), build.Options{})
	th := out.Model.Site.Article("populaire").Thread
	if th.Count != 10000 || len(th.Pages) != 100 {
		t.Fatalf("count %d, pages %d; want 10000 and 100", th.Count, len(th.Pages))
	}
	first := out.File(t, "articles/populaire/index.html")
	if n := strings.Count(first, `class="comment depth-0"`); n != 100 {
		t.Errorf("first page shows %d comments, want 100", n)
	}
	if !strings.Contains(first, `<a rel="next" href="/articles/populaire/comments/page/2/">`) {
		t.Error("first page has no link to the second")
	}
	last := out.File(t, "articles/populaire/comments/page/100/index.html")
	if !strings.Contains(last, "Commentaire numéro 9999.") || strings.Contains(last, "Commentaire numéro 9899.") {
		t.Error("page 100 does not hold exactly the last comments")
	}
	if !strings.Contains(last, `<a rel="prev" href="/articles/populaire/comments/page/99/">`) {
		t.Error("page 100 has no link to page 99")
	}
	// Permalinks point at the page that shows the comment.
	for _, c := range th.Flat {
		if c.ID == "n05000" && c.URL != "/articles/populaire/comments/page/51/#c-n05000" {
			t.Errorf("n05000 URL = %s", c.URL)
		}
	}
	feed := out.File(t, "articles/populaire/comments.xml")
	if n := strings.Count(feed, "<entry>"); n != 20 || !strings.Contains(feed, "comments/page/100/#c-n09999") {
		t.Errorf("article feed has %d entries, want the 20 newest", n)
	}
}

func TestTenThousandDeepRepliesRender(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 10,000 comments")
	}
	out := sitetest.Build(t, manyComments(10000, true), build.Options{})
	page := out.File(t, "articles/populaire/index.html")
	// max_depth 5: the HTML nests five levels, then the chain goes flat.
	if n := strings.Count(page, `<ol class="replies">`); n != 5 {
		t.Errorf("%d nested reply lists, want 5", n)
	}
	if n := strings.Count(page, `class="comment depth-5"`); n != 10000-5 {
		t.Errorf("%d flat replies at the cap, want %d", n, 10000-5)
	}
}
