package site

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/foyerhub/foyer/generator/markdown"
	"github.com/foyerhub/foyer/generator/source"
)

func TestSpoolKeepsLongMarkup(t *testing.T) {
	dir := t.TempDir()
	sp, err := NewSpool(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	short := "<p>Merci !</p>"
	long := "<p>" + strings.Repeat("Une longue phrase de l’article. ", 100) + "</p>"
	s, l := sp.Put(short), sp.Put(long)
	if s.Spooled() || s.String() != short || s.Len() != len(short) {
		t.Errorf("short markup: spooled %v, %q", s.Spooled(), s.String())
	}
	if !l.Spooled() || l.String() != long || l.Len() != len(long) || string(l.HTML()) != long {
		t.Errorf("long markup: spooled %v, read back %d bytes of %d", l.Spooled(), len(l.String()), len(long))
	}
	b := []byte(long)
	lb := sp.PutBytes(b)
	b[0] = 'X' // the spool keeps no reference to the bytes
	if !lb.Spooled() || lb.String() != long {
		t.Error("PutBytes: long markup not spooled, or not kept")
	}
	if sb := sp.PutBytes([]byte(short)); sb.Spooled() || sb.String() != short {
		t.Error("PutBytes: short markup spooled")
	}
	if !l.same(sp.Put(long)) || l.same(sp.Put(long+" ")) || !l.same(HTML(long)) {
		t.Error("same compares the markup, wherever it is")
	}
	if runtime.GOOS != "windows" {
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("the spool file has a name: %v", entries)
		}
	}
	if err := sp.Err(); err != nil {
		t.Fatal(err)
	}
	var none *Spool
	if m := none.Put(long); m.Spooled() || m.String() != long || none.Err() != nil || none.Close() != nil {
		t.Error("a nil spool keeps markup in memory")
	}
}

// WriteInto and the model's WriteContent write what String and Content
// give, after what the buffer holds, from memory or from the spool.
func TestMarkupWriteInto(t *testing.T) {
	sp, err := NewSpool(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	long := "<p>" + strings.Repeat("Une longue phrase de l’article. ", 100) + "</p>"
	for _, m := range []Markup{HTML("<p>Merci !</p>"), sp.Put(long), sp.Put(strings.Repeat("y", 3*spoolBlock)), sp.Put(long + "<p>fin</p>")} {
		for _, room := range []int{0, m.Len() - 1, 2 * m.Len()} {
			b := bytes.NewBuffer(make([]byte, 0, room))
			b.WriteString("<main>")
			m.WriteInto(b)
			if want := "<main>" + m.String(); b.String() != want {
				t.Errorf("WriteInto with room for %d: %d bytes, want %d", room, b.Len(), len(want))
			}
		}
		var pb, cb bytes.Buffer
		p, c := &Page{Body: m}, &Contribution{Body: m}
		p.WriteContent(&pb)
		c.WriteContent(&cb)
		if pb.String() != string(p.Content()) || cb.String() != string(c.Content()) {
			t.Errorf("WriteContent of %d bytes differs from Content", m.Len())
		}
	}
	if err := sp.Err(); err != nil {
		t.Fatal(err)
	}
	m := sp.Put(long)
	sp.Close()
	var b bytes.Buffer
	if m.WriteInto(&b); b.Len() != 0 || sp.Err() == nil {
		t.Errorf("markup that cannot be read back: wrote %d bytes, error %v", b.Len(), sp.Err())
	}
}

func TestSpoolConcurrentPuts(t *testing.T) {
	sp, err := NewSpool(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	want := make([]string, 200)
	got := make([]Markup, len(want))
	var wg sync.WaitGroup
	for i := range want {
		want[i] = strings.Repeat(fmt.Sprintf("<p>document %d</p>", i), 80+i)
		wg.Go(func() { got[i] = sp.Put(want[i]) })
	}
	wg.Wait()
	for i := range want {
		if !got[i].Spooled() || got[i].String() != want[i] {
			t.Fatalf("document %d read back wrong", i)
		}
	}
}

// Markup is gathered in blocks: it reads back the same whether its block
// was written to the file or not, from many goroutines at once.
func TestSpoolBlocks(t *testing.T) {
	sp, err := NewSpool(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	want := make([]string, 400)
	got := make([]Markup, len(want))
	var wg sync.WaitGroup
	for i := range want {
		// Lengths from spoolMin up, and one markup longer than a block.
		n := spoolMin + i*7919%20000
		if i == 7 {
			n = spoolBlock * 3 / 2
		}
		want[i] = strings.Repeat(fmt.Sprintf("<%d>", i), n)[:n]
		wg.Go(func() { got[i] = sp.Put(want[i]) })
	}
	wg.Wait()
	if len(sp.buf) == 0 { // the last Put wrote its block: gather one more
		want, got = append(want, strings.Repeat("z", spoolMin)), append(got, sp.Put(strings.Repeat("z", spoolMin)))
	}
	if sp.flushed.Load() == 0 || len(sp.buf) == 0 {
		t.Fatalf("%d bytes written and %d gathered: the test needs both", sp.flushed.Load(), len(sp.buf))
	}
	for i := range want {
		wg.Go(func() {
			if !got[i].Spooled() || got[i].String() != want[i] {
				t.Errorf("markup %d of %d bytes read back wrong", i, len(want[i]))
			}
			if b := got[i].AppendTo([]byte("<>")); string(b) != "<>"+want[i] {
				t.Errorf("markup %d of %d bytes appended wrong", i, len(want[i]))
			}
		})
	}
	wg.Wait()
	if err := sp.Err(); err != nil {
		t.Fatal(err)
	}
}

// A spool whose file cannot be written keeps what it gathered, and
// what it is given after, in memory: all of it reads back.
func TestSpoolThatCannotWrite(t *testing.T) {
	sp, err := NewSpool(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	first := sp.Put(strings.Repeat("a", spoolBlock/2))
	// The disk is gone: the write of the block that second fills fails.
	sp.f.Close()
	second := sp.Put(strings.Repeat("b", spoolBlock/2))
	third := sp.Put(strings.Repeat("c", spoolMin))
	if !sp.broken {
		t.Fatal("the failed write went unnoticed")
	}
	if third.Spooled() {
		t.Error("markup put after a failed write is spooled")
	}
	for i, m := range []Markup{first, second, third} {
		if want := strings.Repeat(string(rune('a'+i)), m.Len()); m.String() != want {
			t.Errorf("markup %d reads back %d bytes, want %d", i, len(m.String()), len(want))
		}
	}
	if err := sp.Err(); err != nil {
		t.Errorf("Err = %v, though everything read back", err)
	}
}

// Markup that cannot be read back reads as "", and the spool says so:
// the build checks Err before it publishes.
func TestSpoolReportsWhatItCannotReadBack(t *testing.T) {
	sp, err := NewSpool(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 2*spoolMin)
	m := sp.Put(long)
	if err := sp.Close(); err != nil {
		t.Fatal(err)
	}
	if got := m.String(); got != "" {
		t.Errorf("read after Close = %d bytes", len(got))
	}
	if sp.Err() == nil {
		t.Fatal("no error for markup that could not be read back")
	}
	// A closed spool keeps new markup in memory.
	if again := sp.Put(long); again.Spooled() || again.String() != long {
		t.Errorf("Put on a spool that cannot write: spooled %v", again.Spooled())
	}
}

// The cache keeps a spooled document's plain text in the spool too, and
// reads it back instead of extracting it again.
func TestCacheSpoolsPlainText(t *testing.T) {
	sp, err := NewSpool(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	conv := markdown.New(markdown.Options{Lang: "fr"})
	c := NewCache()
	d := &source.Document{Path: "content/articles/long.md", Body: []byte(strings.Repeat("Une phrase assez longue de l’article, avec *des mots*.\n\n", 60))}
	_, html, err := c.convert(conv, d, sp)
	if err != nil {
		t.Fatal(err)
	}
	want := markdown.PlainText(html.String())
	if got := c.text(d.Path, html); got != want || got == "" {
		t.Fatalf("text = %q, want %q", got, want)
	}
	e := c.docs[d.Path]
	if !e.HTML.Spooled() || !e.Text.Spooled() || e.Text.String() != want {
		t.Errorf("HTML spooled %v, text spooled %v", e.HTML.Spooled(), e.Text.Spooled())
	}
	if got := c.text(d.Path, html); got != want {
		t.Errorf("text read back = %q", got)
	}
}
