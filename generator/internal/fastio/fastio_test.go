package fastio

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestReadFileSizes(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{0, 1, 511, 512, 513, 4096, 1 << 20} {
		data := bytes.Repeat([]byte("é-"), n/3+1)[:n]
		p := filepath.Join(dir, "f")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := ReadFile(p)
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("ReadFile of %d bytes: %d bytes, %v", n, len(got), err)
		}
	}
}

func TestReadFileErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := ReadFile(filepath.Join(dir, "missing"))
	var pe *fs.PathError
	if !errors.Is(err, fs.ErrNotExist) || !errors.As(err, &pe) || pe.Op != "open" || pe.Path != filepath.Join(dir, "missing") {
		t.Errorf("missing file: %#v", err)
	}
	if _, err := ReadFile(dir); err == nil {
		t.Error("reading a directory: no error")
	}
	fsys := DirFS(dir)
	if _, err := fs.ReadFile(fsys, "missing"); !errors.As(err, &pe) || pe.Path != "missing" || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("DirFS: missing file: %v", err)
	}
	for _, bad := range []string{"../x", "/etc/passwd", "a//b", ""} {
		if _, err := fs.ReadFile(fsys, bad); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("DirFS.ReadFile(%q): %v, want fs.ErrInvalid", bad, err)
		}
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "index.html")
	data := bytes.Repeat([]byte("<p>Bonjour</p>\n"), 10000)
	if err := WriteFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644, data); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(p)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes of %d: %v", len(got), len(data), err)
	}
	if info, _ := os.Stat(p); info.Mode().Perm()&^0o022 != 0o644&^0o022 || info.Mode().Perm()&0o600 != 0o600 {
		t.Errorf("mode %v", info.Mode())
	}
	err = WriteFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644, data)
	var pe *fs.PathError
	if !errors.Is(err, fs.ErrExist) || !errors.As(err, &pe) || pe.Op != "open" || pe.Path != p {
		t.Errorf("O_EXCL on an existing file: %v", err)
	}
	if err := WriteFile(p, os.O_WRONLY|os.O_TRUNC, 0, []byte("court")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p); string(got) != "court" {
		t.Errorf("after O_TRUNC: %q", got)
	}
}

func TestWriteFileStamp(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "page.html")
	for i, data := range []string{"<p>Bonjour</p>", "", "<p>Salut</p>\n"} {
		flag := os.O_WRONLY | os.O_CREATE | os.O_EXCL
		if i > 0 {
			flag = os.O_WRONLY | os.O_TRUNC
		}
		got, err := WriteFileStamp(p, flag, 0o644, []byte(data))
		if err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if want := (Stamp{Size: info.Size(), ModTime: info.ModTime().UnixNano()}); got != want || got.Size != int64(len(data)) {
			t.Errorf("write %d: Stamp %+v, want %+v of %d bytes", i, got, want, len(data))
		}
	}
	if _, err := WriteFileStamp(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644, nil); !errors.Is(err, fs.ErrExist) {
		t.Errorf("O_EXCL on an existing file: %v", err)
	}
}
