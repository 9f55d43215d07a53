package wordpress

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"

	"github.com/foyerhub/foyer/generator/atomicfile"
)

// ManifestPath is where an import records the files it wrote, relative
// to the site folder.
const ManifestPath = ".foyer/import/wordpress.json"

// manifest is what the last imports wrote: for each file, the WordPress
// object it came from and the hash of the bytes written, so that a file
// edited by hand since can be told from one the import may refresh.
type manifest struct {
	Version int                      `json:"version"`
	Files   map[string]manifestEntry `json:"files"` // slash path → entry
	byKey   map[string]string        // object key → slash path
}

type manifestEntry struct {
	Key    string `json:"key"`
	SHA256 string `json:"sha256"`
}

func loadManifest(root string) (*manifest, error) {
	m := &manifest{Version: 1, Files: make(map[string]manifestEntry)}
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(ManifestPath)))
	if errors.Is(err, fs.ErrNotExist) {
		m.index()
		return m, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, m); err != nil {
		return nil, fmt.Errorf("%s: %v (expected the JSON an earlier import wrote; remove it to start afresh)", ManifestPath, err)
	}
	if m.Files == nil {
		m.Files = make(map[string]manifestEntry)
	}
	m.index()
	return m, nil
}

func (m *manifest) index() {
	m.byKey = make(map[string]string, len(m.Files))
	paths := make([]string, 0, len(m.Files))
	for p := range m.Files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		m.byKey[m.Files[p].Key] = p
	}
}

func (m *manifest) save(root string) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(root, filepath.FromSlash(ManifestPath)), append(data, '\n'))
}

// outcome is what happened to one file.
type outcome int

const (
	written   outcome = iota // new file
	updated                  // the export changed; the file had not been edited
	unchanged                // same bytes already there
	kept                     // edited by hand (or not ours): left alone
	removed                  // deleted by hand since the last import: not written again
)

// put writes data at rel (a slash path inside root) for the object key,
// unless the file there was changed by hand since the last import or was
// never the import's. force overwrites both.
func (m *manifest) put(root, key, rel string, data []byte, force bool) (outcome, error) {
	if !filepath.IsLocal(filepath.FromSlash(rel)) || path.Clean(rel) != rel {
		return 0, fmt.Errorf("%s: refusing to write outside the site folder", rel)
	}
	abs := filepath.Join(root, filepath.FromSlash(rel))
	sum := hash(data)
	entry, ours := m.Files[rel]
	current, err := os.ReadFile(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if ours && entry.Key == key && !force {
			return removed, nil
		}
		if err := writeAtomic(abs, data); err != nil {
			return 0, err
		}
		m.record(rel, key, sum)
		return written, nil
	case err != nil:
		return 0, err
	}
	have := hash(current)
	if have == sum {
		m.record(rel, key, sum)
		return unchanged, nil
	}
	if !force && (!ours || entry.SHA256 != have) {
		return kept, nil
	}
	if err := writeAtomic(abs, data); err != nil {
		return 0, err
	}
	m.record(rel, key, sum)
	return updated, nil
}

func (m *manifest) record(rel, key, sum string) {
	if old, ok := m.byKey[key]; ok && old != rel {
		delete(m.Files, old)
	}
	m.Files[rel] = manifestEntry{Key: key, SHA256: sum}
	m.byKey[key] = rel
}

func hash(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// writeAtomic writes one imported file. No fsync: a killed import still
// leaves whole files, an import writes thousands of them, and it can run
// again.
func writeAtomic(path string, data []byte) error { return atomicfile.WriteNoSync(path, data, 0o644) }
