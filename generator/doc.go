// Package generator holds Foyer's packages. Data flows one way:
//
//	source   walks the site folder and splits front matter from bodies;
//	site     builds the read-only model (articles, pages, members, terms,
//	         archives, contributions) from those documents;
//	render   turns the model and a theme into files, never touching disk;
//	publish  writes those files into the destination atomically;
//	build    is the only package that chains the four stages.
//
// config reads foyer.yaml; markdown is the only goldmark importer; theme
// loads html/template layouts and i18n strings; diag carries positioned
// errors. watch, serve, newsletter and intake consume the model or build
// results and never feed the stages from below. cli turns command lines
// into calls of those packages.
package generator
