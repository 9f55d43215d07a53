package render

import (
	"regexp"
	"strings"
)

var rootRelative = regexp.MustCompile(`(\s(?:href|src)=")/([^/"][^"]*|)"`)

// absolutise makes root-relative links in HTML absolute on base, for
// feeds and e-mail where there is no page to resolve them against.
func absolutise(html, base string) string {
	if !strings.Contains(html, `="/`) {
		return html
	}
	base = strings.TrimSuffix(base, "/")
	return rootRelative.ReplaceAllString(html, `$1`+base+`/$2"`)
}
