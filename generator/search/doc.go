// Package search builds Foyer's static search index: files a static host
// serves as they are, read by themes/default/static/js/search.js in the
// reader's browser, with no search server.
//
// The index is a small manifest.json, term chunks t/<i>.json split by
// ranges of terms (each about ChunkBytes before gzip, so a one-word query
// fetches the manifest and one chunk), and one d/<id>.json per document
// with what a result shows. Postings hold the precomputed factors of
// each BM25 term score: the browser only multiplies and adds, it never
// needs document lengths.
//
// Text goes through the same Analyser at build time (Go) and at query
// time (JavaScript): lower-casing, accent folding, French elisions, stop
// words and a light stemmer. A parity test runs both on
// testdata/phrases.txt and compares the tokens.
//
// Build is pure: no I/O. It indexes only the Docs it is given; the
// caller (generator/render) passes published pages and nothing private.
// Prepare is Build for the renderer: it analyses and merges at once,
// since the list of files depends on the terms found, and makes each
// document's file, and the manifest, when asked. A Cache carries the
// analysed documents from one build to the next (foyer serve), so that
// a rebuild analyses only the documents that changed.
package search
