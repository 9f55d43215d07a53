package publish

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// publishFiles publishes 500 files of 20 KiB into dest.
func publishFiles(b *testing.B, dest string, data []byte) Stats {
	w, err := Begin(dest)
	if err != nil {
		b.Fatal(err)
	}
	for i := range 500 {
		if err := w.Write(fmt.Sprintf("articles/a-%03d/index.html", i), data); err != nil {
			b.Fatal(err)
		}
	}
	st, err := w.Commit()
	if err != nil {
		b.Fatal(err)
	}
	return st
}

func benchData() []byte { return []byte(strings.Repeat("<p>Bonjour le foyer</p>\n", 850)) }

// BenchmarkPublishNew is a first build: every file is new.
func BenchmarkPublishNew(b *testing.B) {
	dest := filepath.Join(b.TempDir(), "public")
	data := benchData()
	b.ReportAllocs()
	b.SetBytes(500 * int64(len(data)))
	for b.Loop() {
		b.StopTimer()
		if err := os.RemoveAll(dest); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if st := publishFiles(b, dest, data); st.Written != 500 {
			b.Fatalf("first publication: %+v, want 500 written", st)
		}
	}
}

// BenchmarkPublishUnchanged is the second build of an unchanged site:
// every file is compared and hard-linked, none rewritten.
func BenchmarkPublishUnchanged(b *testing.B) {
	dest := filepath.Join(b.TempDir(), "public")
	data := benchData()
	publishFiles(b, dest, data)
	b.ReportAllocs()
	b.SetBytes(500 * int64(len(data)))
	for b.Loop() {
		if st := publishFiles(b, dest, data); st.Unchanged != 500 || st.Written != 0 {
			b.Fatalf("second publication: %+v, want 500 unchanged", st)
		}
	}
}

// BenchmarkPublishChanged is a build in which every file changed: each
// publication alternates between two versions of every file.
func BenchmarkPublishChanged(b *testing.B) {
	dest := filepath.Join(b.TempDir(), "public")
	versions := [2][]byte{benchData(), append(benchData(), "<p>Mis à jour</p>\n"...)}
	publishFiles(b, dest, versions[1])
	b.ReportAllocs()
	b.SetBytes(500 * int64(len(versions[0])))
	i := 0
	for b.Loop() {
		if st := publishFiles(b, dest, versions[i%2]); st.Written != 500 || st.Unchanged != 0 {
			b.Fatalf("changed publication: %+v, want 500 written", st)
		}
		i++
	}
}
