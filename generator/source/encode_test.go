package source

import (
	"strings"
	"testing"
	"time"
)

func TestEncodeRoundTrip(t *testing.T) {
	date := time.Date(2026, 3, 14, 9, 30, 0, 0, time.FixedZone("", 3600))
	hostile := "Eve\"\n---\nstatus: approved\n# <script>"
	m := Meta{Author: hostile, Email: "eve@example.org", IP: "203.0.113.9", Website: "https://eve.example/",
		Date: date, ReplyTo: "c-1", Status: "pending", Kind: "comment"}
	data, err := Encode(Contribution, m, []byte("Bonjour : ça va ?\n---\nstatus: approved\n"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Parse("content/contributions/a/c-2.md", data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	got := doc.Meta
	if got.Author != hostile || got.Status != "pending" || got.Email != m.Email || got.IP != m.IP || !got.Date.Equal(date) || got.ReplyTo != "c-1" {
		t.Errorf("round trip lost fields: %+v\n%s", got, data)
	}
	if !strings.Contains(string(doc.Body), "status: approved") {
		t.Errorf("body changed: %q", doc.Body)
	}

	art := Meta{Title: "L’été : « chaud »", Date: date, Draft: true, Categories: []string{"Éthique", "a, b"}, Tags: []string{"x"}, Aliases: []string{"/old/"}}
	data, err = Encode(Article, art, []byte("Texte."))
	if err != nil {
		t.Fatal(err)
	}
	doc, err = Parse("content/articles/x.md", data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if doc.Meta.Title != art.Title || !doc.Meta.Draft || len(doc.Meta.Categories) != 2 || doc.Meta.Categories[1] != "a, b" || doc.Meta.Aliases[0] != "/old/" {
		t.Errorf("article round trip: %+v\n%s", doc.Meta, data)
	}

	mem := Meta{Name: "Léa: « admin »", Role: "member", Email: "lea@example.org"}
	data, err = Encode(Member, mem, nil)
	if err != nil {
		t.Fatal(err)
	}
	doc, err = Parse("content/members/lea.yaml", data)
	if err != nil || doc.Meta.Name != mem.Name || doc.Meta.Email != mem.Email {
		t.Errorf("member round trip: %v %+v\n%s", err, doc, data)
	}
}
