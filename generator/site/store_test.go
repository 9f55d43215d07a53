package site

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/foyerhub/foyer/generator/markdown"
	"github.com/foyerhub/foyer/generator/source"
)

// storeDocs are documents whose HTML goes to the spool, and one short
// enough to stay in memory; version changes every body.
func storeDocs(version int) []*source.Document {
	var docs []*source.Document
	for i := range 40 {
		body := strings.Repeat(fmt.Sprintf("Paragraphe %d de l’article %d, *version %d*.\n\n", i, i, version), 300+i)
		docs = append(docs, &source.Document{Path: fmt.Sprintf("content/articles/a%02d.md", i), Body: []byte(body)})
	}
	return append(docs, &source.Document{Path: "content/articles/court.md", Body: []byte("Court.\n")})
}

// convertAll converts docs with c into sp, asks for their plain text, and
// returns their HTML.
func convertAll(t *testing.T, c *Cache, sp *Spool, conv *markdown.Converter, docs []*source.Document) []string {
	t.Helper()
	var out []string
	for _, d := range docs {
		_, html, err := c.convert(conv, d, sp)
		if err != nil {
			t.Fatal(err)
		}
		if c.text(d.Path, html) == "" {
			t.Fatalf("%s: no plain text", d.Path)
		}
		out = append(out, html.String())
	}
	return out
}

// openConverted opens the cache in dir, and reports how many of docs it
// converts rather than finds, with the HTML it gives.
func openConverted(t *testing.T, dir string, conv *markdown.Converter, docs []*source.Document) (c *Cache, sp *Spool, converted int, html []string) {
	t.Helper()
	c, sp, err := OpenCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sp.Close() })
	for _, d := range docs {
		if hit, ok := c.docs[d.Path]; !ok || hit.Sum != sumOf(d) {
			converted++
		}
	}
	return c, sp, converted, convertAll(t, c, sp, conv, docs)
}

func saveCache(t *testing.T, c *Cache, dir string, sp *Spool) {
	t.Helper()
	if err := c.Save(dir, sp); err != nil {
		t.Fatal(err)
	}
	if err := sp.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestCacheOnDisk(t *testing.T) {
	dir := t.TempDir()
	conv := markdown.New(markdown.Options{Lang: "fr"})
	docs := storeDocs(1)
	c, sp, converted, want := openConverted(t, dir, conv, docs)
	if converted != len(docs) {
		t.Fatalf("an empty folder's cache had %d documents", len(docs)-converted)
	}
	if !c.docs[docs[0].Path].HTML.Spooled() || c.docs["content/articles/court.md"].HTML.Spooled() {
		t.Fatal("long HTML is spooled, short HTML is not")
	}
	saveCache(t, c, dir, sp)
	data, err := os.ReadFile(filepath.Join(dir, CacheData))
	if err != nil {
		t.Fatal(err)
	}

	c, sp, converted, got := openConverted(t, dir, conv, docs)
	if converted != 0 {
		t.Errorf("the cache read back converted %d documents again", converted)
	}
	if strings.Join(got, "") != strings.Join(want, "") {
		t.Error("the HTML read back differs")
	}
	if c.Stale() {
		t.Error("the same documents changed the cache")
	}
	for _, d := range docs {
		if e := c.docs[d.Path]; e.Text.Len() == 0 {
			t.Errorf("%s: plain text not kept", d.Path)
		}
	}
	sp.Close()
	if again, _ := os.ReadFile(filepath.Join(dir, CacheData)); string(again) != string(data) {
		t.Error("reading the cache changed its data file")
	}
}

// A data file that does not hold what the index says, byte for byte,
// gives an empty cache; bytes a killed build appended are cut off.
func TestCacheOnDiskDamaged(t *testing.T) {
	conv := markdown.New(markdown.Options{Lang: "fr"})
	docs := storeDocs(1)
	damages := []struct {
		name  string
		do    func(data []byte) []byte
		empty bool
	}{
		{"byte changed", func(d []byte) []byte { d[len(d)/2] ^= 1; return d }, true},
		{"shorter", func(d []byte) []byte { return d[:len(d)-1] }, true},
		{"emptied", func([]byte) []byte { return nil }, true},
		{"appended to", func(d []byte) []byte { return append(d, "<p>écrit par un build interrompu</p>"...) }, false},
	}
	for _, dmg := range damages {
		t.Run(dmg.name, func(t *testing.T) {
			dir := t.TempDir()
			c, sp, _, want := openConverted(t, dir, conv, docs)
			saveCache(t, c, dir, sp)
			p := filepath.Join(dir, CacheData)
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			size := len(data)
			if err := os.WriteFile(p, dmg.do(data), 0o644); err != nil {
				t.Fatal(err)
			}
			_, sp, converted, got := openConverted(t, dir, conv, docs)
			if dmg.empty && converted != len(docs) {
				t.Errorf("converted %d documents of %d", converted, len(docs))
			}
			if !dmg.empty && converted != 0 {
				t.Errorf("converted %d documents again", converted)
			}
			if strings.Join(got, "") != strings.Join(want, "") {
				t.Error("the HTML differs")
			}
			if !dmg.empty {
				sp.Close()
				if fi, err := os.Stat(p); err != nil || fi.Size() != int64(size)+int64(sp.end-sp.start) {
					t.Errorf("the data file was not cut back to what the index holds")
				}
			}
		})
	}
}

// Documents converted again leave their old markup in the data file
// until more than half of it is unused: then Save copies the rest into
// a new file, which the next build reads right.
func TestCacheOnDiskCompacts(t *testing.T) {
	dir := t.TempDir()
	conv := markdown.New(markdown.Options{Lang: "fr"})
	var live int
	for version := range 8 {
		docs := storeDocs(version)
		c, sp, converted, want := openConverted(t, dir, conv, docs)
		if version > 0 && converted != len(docs)-1 { // all but the short one, the same each time
			t.Fatalf("version %d: converted %d documents of %d", version, converted, len(docs))
		}
		live = 0
		for _, d := range docs {
			e := c.docs[d.Path]
			if e.HTML.Spooled() {
				live += e.HTML.Len()
			}
			if e.Text.Spooled() {
				live += e.Text.Len()
			}
		}
		saveCache(t, c, dir, sp)
		fi, err := os.Stat(filepath.Join(dir, CacheData))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Size() > int64(2*live+spoolBlock) {
			t.Fatalf("version %d: the data file holds %d bytes for %d used", version, fi.Size(), live)
		}
		_, _, converted, got := openConverted(t, dir, conv, docs)
		if converted != 0 || strings.Join(got, "") != strings.Join(want, "") {
			t.Fatalf("version %d: after Save, %d documents converted again, HTML the same: %v", version, converted, strings.Join(got, "") == strings.Join(want, ""))
		}
	}
	if live < spoolBlock {
		t.Fatalf("the test's documents hold %d bytes: too few for the data file to need compacting", live)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("the folder holds %d files, want the index and the data", len(entries))
	}
}

// A cache made with other options is emptied before the build puts
// anything into its data file.
func TestCacheOnDiskOtherKey(t *testing.T) {
	dir := t.TempDir()
	conv := markdown.New(markdown.Options{Lang: "fr"})
	c, sp, _, _ := openConverted(t, dir, conv, storeDocs(1))
	c.Keyed("options 1")
	saveCache(t, c, dir, sp)
	c, sp, err := OpenCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	c.Keyed("options 2")
	if len(c.docs) != 0 || sp.end != 0 {
		t.Errorf("another key kept %d documents and %d bytes of data", len(c.docs), sp.end)
	}
	if fi, err := os.Stat(filepath.Join(dir, CacheData)); err != nil || fi.Size() != 0 {
		t.Error("the data file was not emptied")
	}
}
