//go:build !unix

package build

import "errors"

// lockCache would take the lock of the build cache in dir. Without
// flock, there is none: a build cannot know that another one is
// appending to the cache's spool, so it keeps its markup apart.
func lockCache(dir string) (unlock func(), err error) {
	return nil, errors.New("no lock for the markdown cache on this system")
}
