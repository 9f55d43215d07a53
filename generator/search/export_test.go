package search

// The tables, for the parity test in package search_test (which imports
// the test kit, and through it render, which imports search).
var (
	Folds     = folds
	StopWords = stopWords
	Elisions  = elisions
)
