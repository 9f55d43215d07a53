// Package bufpool keeps byte buffers for reuse, up to a size: a buffer
// that grew for one very long input is let go rather than held for the
// rest of the process.
package bufpool

import "sync"

// Pool is a sync.Pool of byte buffers that keeps none of more than Max
// bytes of capacity. The zero Pool keeps none; it is safe for
// concurrent use.
type Pool struct {
	Max int
	p   sync.Pool
}

// Get returns a buffer of the pool's, or a new one, empty. Its slice
// is *b[:0]; give it back with Put once done with it.
func (p *Pool) Get() *[]byte {
	if b, ok := p.p.Get().(*[]byte); ok {
		*b = (*b)[:0]
		return b
	}
	return new([]byte)
}

// Put gives back b, a buffer Get returned, whose slice is now used: the
// pool keeps used for a later Get unless its capacity passed Max. No
// slice of it may be used after.
func (p *Pool) Put(b *[]byte, used []byte) {
	if cap(used) > p.Max {
		return
	}
	*b = used
	p.p.Put(b)
}
