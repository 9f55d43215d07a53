package intake

import (
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
)

// messages are the intake's own words, by site language. The intake
// renders no site pages: these few answers stand alone.
var messages = map[string]map[string]string{
	"fr": {
		"check_mail_title":   "Vérifiez votre messagerie",
		"check_mail":         "Si cette adresse peut recevoir la lettre, un message de confirmation vient de lui être envoyé. Suivez le lien qu’il contient pour terminer l’inscription.",
		"confirmed_title":    "Inscription confirmée",
		"confirmed":          "Merci ! Vous recevrez la prochaine lettre d’information.",
		"bad_link_title":     "Lien invalide",
		"bad_link":           "Ce lien n’est pas ou plus valable. Vérifiez qu’il a été copié en entier.",
		"unsubscribe_title":  "Se désinscrire",
		"unsubscribe_ask":    "Voulez-vous ne plus recevoir la lettre d’information ?",
		"unsubscribe_button": "Me désinscrire",
		"unsubscribed_title": "Désinscription faite",
		"unsubscribed":       "Vous ne recevrez plus la lettre d’information.",
		"confirm_subject":    "Confirmez votre inscription à %s",
		"confirm_body":       "Bonjour,\n\nQuelqu’un, sans doute vous, a demandé à recevoir la lettre d’information de %s à cette adresse.\n\nPour confirmer, suivez ce lien :\n%s\n\nSi ce n’est pas vous, ignorez ce message : sans confirmation, vous ne recevrez rien.\n",
		"notify_subject":     "Nouveau commentaire à modérer sur « %s »",
		"notify_body":        "Article : %s\nAuteur : %s\n\n%s\n\nIdentifiant : %s",
	},
	"en": {
		"check_mail_title":   "Check your mail",
		"check_mail":         "If this address can receive the newsletter, a confirmation message has just been sent to it. Follow its link to finish subscribing.",
		"confirmed_title":    "Subscription confirmed",
		"confirmed":          "Thank you! You will receive the next newsletter.",
		"bad_link_title":     "Invalid link",
		"bad_link":           "This link is not valid, or no longer. Check that it was copied whole.",
		"unsubscribe_title":  "Unsubscribe",
		"unsubscribe_ask":    "Do you want to stop receiving the newsletter?",
		"unsubscribe_button": "Unsubscribe me",
		"unsubscribed_title": "Unsubscribed",
		"unsubscribed":       "You will not receive the newsletter any more.",
		"confirm_subject":    "Confirm your subscription to %s",
		"confirm_body":       "Hello,\n\nSomeone, probably you, asked to receive the newsletter of %s at this address.\n\nTo confirm, follow this link:\n%s\n\nIf it was not you, ignore this message: without confirmation you will receive nothing.\n",
		"notify_subject":     "New comment to moderate on “%s”",
		"notify_body":        "Article: %s\nAuthor: %s\n\n%s\n\nId: %s",
	},
}

func (s *Server) msg(key string) string {
	if m, ok := messages[s.cfg.Language]; ok {
		return m[key]
	}
	return messages["en"][key]
}

type button struct{ Action, Label string }

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Title}} · {{.Site}}</title>
<style>body{font:1.1rem/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}button{font:inherit;padding:.5rem 1rem}</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p>{{.Text}}</p>
{{with .Button}}<form method="post" action="{{.Action}}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">{{.Label}}</button></form>{{end}}
<p><a href="{{.Home}}">{{.Site}}</a></p>
</body>
</html>
`))

func (s *Server) page(w http.ResponseWriter, status int, title, text string, b *button) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	err := pageTemplate.Execute(w, map[string]any{"Lang": s.cfg.Language, "Title": s.msg(title), "Text": s.msg(text),
		"Site": s.cfg.Title, "Home": s.cfg.BaseURL, "Button": b})
	if err != nil {
		s.log.Error("intake: page", "err", err)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// fail answers an error with a stable code, as JSON or plain text.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, code string) {
	if wantsJSON(r) {
		writeJSON(w, status, map[string]string{"error": code})
		return
	}
	http.Error(w, http.StatusText(status)+" ("+code+")", status)
}

// refuse answers a validation error: 400 naming the field.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, err error) {
	var fe *fieldError
	if !errors.As(err, &fe) {
		s.fail(w, r, http.StatusBadRequest, "bad_request")
		return
	}
	if wantsJSON(r) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid", "field": fe.Field, "message": fe.Msg})
		return
	}
	http.Error(w, "Bad Request: "+fe.Error(), http.StatusBadRequest)
}

func (s *Server) bodyError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, errTooLarge):
		s.fail(w, r, http.StatusRequestEntityTooLarge, "too_large")
	case errors.Is(err, errMediaType):
		s.fail(w, r, http.StatusUnsupportedMediaType, "unsupported_media_type")
	default:
		s.refuse(w, r, &fieldError{"body", err.Error()})
	}
}
