package moderation

import (
	"slices"
	"testing"

	"github.com/foyerhub/foyer/generator/config"
)

// ordinary is everyday French (and a little English) that no rule may
// flag: it names the human race, a delay (« retard »), a bike pedal, a
// tired friend and a few numbers and acronyms.
var ordinary = []string{
	"La race humaine a ceci de touchant qu’elle se dispute sur tout, même sur la modération.",
	"Désolé pour le retard : j’ai crevé un pneu et la pédale de mon vélo a cassé, je suis crevé.",
	"Merci pour cet article ! L’équipe de la SNCF a publié 3 rapports en 2026 sur ce sujet.",
	"Qu’il est difficile de garder son calme quand un débat s’enflamme ; c’est pourtant le rôle d’un animateur.",
	"We should build a better moderation charter, and the ONU report helps with that.",
	"Voir https://exemple.org/charte pour la charte, et la FAQ du Foyer.",
	"Le concombre de mon voisin est énorme cette année, et sa salade aussi.",
}

func known(body string) Input { return Input{Author: "Camille", Body: body, Known: true} }

func TestOrdinaryTextPasses(t *testing.T) {
	s := NewScreener(config.Default().Moderation)
	for _, body := range ordinary {
		if r := s.Screen(known(body)); r.Verdict != Approve || len(r.Reasons) > 0 {
			t.Errorf("%q: got %v %v, want approve with no reason", body, r.Verdict, r.Reasons)
		}
	}
}

func TestEachRuleFires(t *testing.T) {
	cfg := config.Default().Moderation
	cfg.BannedWords = []string{"pourriel géant"}
	cfg.SuspectWords = []string{"tupperware"}
	cfg.Blocked = []string{"troll@example.com", "203.0.113.0/24", "198.51.100.9", "spam.example", "VilainTroll"}
	s := NewScreener(cfg)
	long := "Je répète ici exactement ce que j’ai déjà écrit sous l’autre article, mot pour mot."
	tests := []struct {
		name   string
		in     Input
		want   Verdict
		reason string
	}{
		{"banned word", known("Quel connard, celui-là."), Reject, BannedWord},
		{"banned with accents folded", known("Espèce d’ENCULÉ."), Reject, BannedWord},
		{"banned elided", known("C’est l’connard du quartier."), Reject, BannedWord},
		{"banned repeated letters", known("Quel coooonnnnaaaard !"), Reject, BannedWord},
		{"banned digit swaps", known("Quel c0nn4rd, 5al0pe !"), Reject, BannedWord},
		{"banned 1 for l", known("Une vraie sa1ope."), Reject, BannedWord},
		{"banned symbols", known("Quelle s@l0pe."), Reject, BannedWord},
		{"banned spelled out", known("Quel c o n n a r d."), Reject, BannedWord},
		{"banned plural", known("Bande de connards."), Reject, BannedWord},
		{"banned phrase", known("Ils disent que c’est une race inférieure."), Reject, BannedWord},
		{"banned English", known("Go kill yourself."), Reject, BannedWord},
		{"banned site word", known("Voici un pourriel géant."), Reject, BannedWord},
		{"suspect word", known("Le meilleur casino en ligne."), Hold, SuspectWord},
		{"suspect site word", known("Réunion tupperware samedi."), Hold, SuspectWord},
		{"suspect English", known("Cheap viagra."), Hold, SuspectWord},
		{"too many links", known("Voir https://a.example/ et https://b.example/ et www.c.example."), Hold, TooManyLinks},
		{"links and suspect is spam", known("casino https://a.example/ https://b.example/ [ici](c.example/x)"), Spam, TooManyLinks},
		{"blocked email", Input{Email: "Troll@Example.com", Body: "Bonjour.", Known: true}, Spam, BlockedAuthor},
		{"blocked ip range", Input{IP: "203.0.113.77", Body: "Bonjour.", Known: true}, Spam, BlockedAuthor},
		{"blocked ip", Input{IP: "198.51.100.9", Body: "Bonjour.", Known: true}, Spam, BlockedAuthor},
		{"blocked email domain", Input{Email: "x@mail.spam.example", Body: "Bonjour.", Known: true}, Spam, BlockedAuthor},
		{"blocked website", Input{Website: "https://www.spam.example/p", Body: "Bonjour.", Known: true}, Spam, BlockedAuthor},
		{"blocked name", Input{Author: "vilaintroll", Body: "Bonjour.", Known: true}, Spam, BlockedAuthor},
		{"duplicate", Input{Body: long, Known: true, Recent: []string{"Autre chose.", "JE RÉPÈTE ici exactement ce que j'ai déjà écrit sous l'autre article — mot pour mot !"}}, Spam, DuplicateText},
		{"shouting", known("CE FORUM EST UNE HONTE, PERSONNE NE RÉPOND JAMAIS !"), Hold, Shouting},
		{"first time", Input{Author: "Inconnu", Body: "Merci pour l’article."}, Hold, FirstTimeAuthor},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.Screen(tt.in)
			if r.Verdict != tt.want || !slices.Contains(r.Reasons, tt.reason) {
				t.Errorf("got %v %v, want %v with %s", r.Verdict, r.Reasons, tt.want, tt.reason)
			}
		})
	}
}

func TestRulesDoNotFire(t *testing.T) {
	cfg := config.Default().Moderation
	cfg.Blocked = []string{"troll@example.com", "203.0.113.0/24", "spam.example"}
	s := NewScreener(cfg)
	tests := []struct {
		name string
		in   Input
	}{
		{"race alone", known("La race humaine est ainsi faite.")},
		{"word inside a longer word", known("Le connardisme n’existe pas, mais la salopette oui.")},
		{"two links is the limit", known("Voir https://a.example/ et https://b.example/.")},
		{"other email", Input{Email: "ami@example.com", Body: "Bonjour.", Known: true}},
		{"ip outside the range", Input{IP: "203.0.114.1", Body: "Bonjour.", Known: true}},
		{"domain lookalike", Input{Website: "https://notspam.example/", Body: "Bonjour.", Known: true}},
		{"short duplicate", Input{Body: "Merci beaucoup !", Known: true, Recent: []string{"Merci beaucoup !"}}},
		{"different text", Input{Body: ordinary[0], Known: true, Recent: ordinary[1:]}},
		{"acronyms", known("La CNIL, l’ANSSI et la DINUM ont publié un guide.")},
		{"short capitals", known("MERCI !")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := s.Screen(tt.in); r.Verdict != Approve {
				t.Errorf("got %v %v, want approve", r.Verdict, r.Reasons)
			}
		})
	}
}

func TestStatus(t *testing.T) {
	clean := Result{Verdict: Approve}
	first := Result{Verdict: Hold, Reasons: []string{FirstTimeAuthor}}
	held := Result{Verdict: Hold, Reasons: []string{SuspectWord, FirstTimeAuthor}}
	tests := []struct {
		auto  string
		r     Result
		known bool
		want  string
	}{
		{"known", clean, true, "approved"},
		{"known", clean, false, "pending"},
		{"known", first, false, "pending"},
		{"never", clean, true, "pending"},
		{"always", first, false, "approved"},
		{"always", held, false, "pending"},
		{"always", Result{Verdict: Spam, Reasons: []string{BlockedAuthor}}, true, "spam"},
		{"always", Result{Verdict: Reject, Reasons: []string{BannedWord}}, true, "rejected"},
	}
	for _, tt := range tests {
		if got := Status(tt.auto, tt.r, tt.known); got != tt.want {
			t.Errorf("Status(%s, %v, %v) = %s, want %s", tt.auto, tt.r, tt.known, got, tt.want)
		}
	}
}
