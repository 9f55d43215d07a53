package bufpool

import "testing"

func TestPoolKeepsUpToMax(t *testing.T) {
	p := Pool{Max: 64}
	b := p.Get()
	if len(*b) != 0 {
		t.Fatalf("Get gave %d bytes, want an empty buffer", len(*b))
	}
	used := append(*b, "kept"...)
	p.Put(b, used)
	// A sync.Pool may drop what it holds at any time, so only what Put
	// must refuse is checked: a buffer past Max never comes back.
	big := p.Get()
	grown := append(*big, make([]byte, 65)...)
	p.Put(big, grown)
	for range 10 {
		b := p.Get()
		if cap(*b) > 64 {
			t.Fatalf("Get gave a buffer of capacity %d, past Max", cap(*b))
		}
		if len(*b) != 0 {
			t.Fatalf("Get gave %d bytes, want an empty buffer", len(*b))
		}
		p.Put(b, *b)
	}
}
