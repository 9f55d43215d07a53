//go:build !unix

package publish

import "io/fs"

// noFollow is zero where open has no flag refusing symbolic links.
const noFollow = 0

// links does not know how many names a file has on this system: staged
// files are then never rewritten in place.
func links(fs.FileInfo) (n uint64, known bool) { return 0, false }
