// Package moderation holds the rules that screen incoming contributions
// and the status edits that foyer moderate makes. The rules are pure
// functions of a contribution and the site's configuration, kept in one
// place with the built-in French and English word lists; SetStatus is the
// only code that writes, and it changes a file's status line and nothing
// else. Moderation never deletes a file.
package moderation

import (
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/foyerhub/foyer/generator/config"
)

// Verdict is what screening advises for a contribution.
type Verdict string

// The verdicts, from the mildest.
const (
	Approve Verdict = "approve"
	Hold    Verdict = "hold"
	Reject  Verdict = "reject"
	Spam    Verdict = "spam"
)

// The reason codes of a Result, stable for scripts.
const (
	BannedWord      = "banned_word"
	SuspectWord     = "suspect_word"
	TooManyLinks    = "too_many_links"
	BlockedAuthor   = "blocked_author"
	DuplicateText   = "duplicate_text"
	Shouting        = "shouting"
	FirstTimeAuthor = "first_time_author"
)

// Result is a verdict and the reasons for it, in the order the rules ran.
type Result struct {
	Verdict Verdict
	Reasons []string
}

// Input is what screening sees of a contribution.
type Input struct {
	Author, Member, Email, IP, Website, Body string
	// Known is true for members and for authors with an approved
	// contribution already.
	Known bool
	// Recent are the bodies of recent contributions on the site, to
	// catch the same text posted again.
	Recent []string
}

// Screener applies the rules with a site's lists. It is read-only once
// made and safe for concurrent use.
type Screener struct {
	banned, suspect []phrase
	maxLinks        int
	blockedEmails   map[string]bool
	blockedDomains  []string
	blockedNets     []*net.IPNet
	blockedIPs      []net.IP
	blockedNames    map[string]bool
}

// NewScreener compiles the built-in lists and the site's additions.
func NewScreener(cfg config.Moderation) *Screener {
	s := &Screener{
		banned:        compile(append(builtinBanned(), cfg.BannedWords...)),
		suspect:       compile(append(builtinSuspect(), cfg.SuspectWords...)),
		maxLinks:      cfg.MaxLinks,
		blockedEmails: make(map[string]bool),
		blockedNames:  make(map[string]bool),
	}
	for _, b := range cfg.Blocked {
		b = strings.ToLower(strings.TrimSpace(b))
		switch {
		case b == "":
		case strings.Contains(b, "@"):
			s.blockedEmails[b] = true
		case net.ParseIP(b) != nil:
			s.blockedIPs = append(s.blockedIPs, net.ParseIP(b))
		case strings.Contains(b, "/"):
			if _, n, err := net.ParseCIDR(b); err == nil {
				s.blockedNets = append(s.blockedNets, n)
			}
		case strings.Contains(b, "."):
			s.blockedDomains = append(s.blockedDomains, strings.TrimPrefix(b, "."))
		default:
			s.blockedNames[b] = true
		}
	}
	return s
}

// linkPattern finds what a reader could follow: URLs, bare www. hosts,
// and HTML or Markdown links written without a scheme.
var linkPattern = regexp.MustCompile(`(?i)\b(?:https?://|ftp://|www\.)|<a\s|\]\([^)\s]+\)`)

// Screen runs every rule on in. The verdict is the gravest any rule
// gives: spam for blocked authors and repeated text; reject for a banned
// word; hold for suspect words, too many links, shouting and first-time
// authors; approve when nothing fired. Too many links together with a
// suspect word is spam, as that is what link spam looks like.
func (s *Screener) Screen(in Input) Result {
	r := Result{Verdict: Approve}
	flag := func(v Verdict, reason string) {
		r.Reasons = append(r.Reasons, reason)
		if rank(v) > rank(r.Verdict) {
			r.Verdict = v
		}
	}
	if s.blocked(in) {
		flag(Spam, BlockedAuthor)
	}
	words, alt := tokens(in.Body)
	if _, ok := match(s.banned, words, alt); ok {
		flag(Reject, BannedWord)
	}
	suspect := false
	if _, ok := match(s.suspect, words, alt); ok {
		flag(Hold, SuspectWord)
		suspect = true
	}
	if n := len(linkPattern.FindAllStringIndex(in.Body, -1)); n > s.maxLinks {
		if suspect {
			flag(Spam, TooManyLinks)
		} else {
			flag(Hold, TooManyLinks)
		}
	}
	if duplicate(in.Body, in.Recent) {
		flag(Spam, DuplicateText)
	}
	if shouting(in.Body) {
		flag(Hold, Shouting)
	}
	if !in.Known {
		flag(Hold, FirstTimeAuthor)
	}
	return r
}

func rank(v Verdict) int {
	return slices.Index([]Verdict{Approve, Hold, Reject, Spam}, v)
}

func (s *Screener) blocked(in Input) bool {
	email := strings.ToLower(strings.TrimSpace(in.Email))
	if email != "" && s.blockedEmails[email] {
		return true
	}
	for _, n := range []string{in.Author, in.Member} {
		if n := strings.ToLower(strings.TrimSpace(n)); n != "" && s.blockedNames[n] {
			return true
		}
	}
	if ip := net.ParseIP(strings.TrimSpace(in.IP)); ip != nil {
		for _, b := range s.blockedIPs {
			if b.Equal(ip) {
				return true
			}
		}
		for _, n := range s.blockedNets {
			if n.Contains(ip) {
				return true
			}
		}
	}
	var hosts []string
	if _, domain, ok := strings.Cut(email, "@"); ok {
		hosts = append(hosts, domain)
	}
	if u, err := url.Parse(strings.TrimSpace(in.Website)); err == nil && u.Hostname() != "" {
		hosts = append(hosts, strings.ToLower(u.Hostname()))
	}
	for _, h := range hosts {
		for _, d := range s.blockedDomains {
			if h == d || strings.HasSuffix(h, "."+d) {
				return true
			}
		}
	}
	return false
}

// minDuplicate is the shortest text, in letters and digits, that counts
// as a duplicate: two people may both write « Merci beaucoup ! ».
const minDuplicate = 24

// duplicate reports whether body repeats one of recent, ignoring case,
// accents, punctuation and spacing.
func duplicate(body string, recent []string) bool {
	key := skeleton(body)
	if len([]rune(key)) < minDuplicate {
		return false
	}
	for _, r := range recent {
		if skeleton(r) == key {
			return true
		}
	}
	return false
}

func skeleton(text string) string {
	var b strings.Builder
	for _, r := range fold(text) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// shouting reports a text of at least 20 letters, three quarters of them
// capitals. Acronyms in an ordinary sentence stay well below.
func shouting(body string) bool {
	letters, upper := 0, 0
	for _, r := range body {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	return letters >= 20 && upper*4 >= letters*3
}

// Status is the status a new contribution's file gets from a screening
// result under auto_approve (never, known or always): "spam" and
// "rejected" follow the verdict; "approved" when the rules found nothing
// and the site trusts the author (always, or known and known is true),
// or under always when the only flag is a first-time author; else
// "pending", for a moderator.
func Status(autoApprove string, r Result, known bool) string {
	switch r.Verdict {
	case Spam:
		return "spam"
	case Reject:
		return "rejected"
	}
	switch autoApprove {
	case "always":
		if r.Verdict == Approve || slices.Equal(r.Reasons, []string{FirstTimeAuthor}) {
			return "approved"
		}
	case "known":
		if r.Verdict == Approve && known {
			return "approved"
		}
	}
	return "pending"
}
