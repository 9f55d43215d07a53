package theme

import "reflect"

// sliceHead returns the first n elements of a slice, or the slice itself
// when it is shorter.
func sliceHead(n int, xs any) any {
	v := reflect.ValueOf(xs)
	if v.Kind() != reflect.Slice {
		return xs
	}
	if v.Len() <= n {
		return xs
	}
	return v.Slice(0, n).Interface()
}
