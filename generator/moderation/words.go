package moderation

// The built-in lists, French then English. They are matched as whole
// words after normalisation (see tokens), with plural and feminine
// endings, so each entry is a base form. Neither list holds a word with an
// ordinary meaning (« race », « retard », « pédale », « bite » in English
// for instance): a banned list rejects without a human reading, so it
// keeps to words and phrases that have no innocent use, and phrases
// ("race inférieure") carry what a single word cannot.

// builtinBanned are slurs, threats and gross insults: a contribution
// holding one is rejected.
func builtinBanned() []string {
	return []string{
		// French
		"connard", "connasse", "enculé", "enculeur", "salope", "fils de pute",
		"nique ta mère", "ntm", "ta gueule", "sale pute", "pédé", "tarlouze", "tafiole",
		"bougnoule", "bicot", "youpin", "youtre", "négro", "sale arabe", "sale juif",
		"sale noir", "sale nègre", "race inférieure", "va crever", "je vais te tuer",
		"on va te tuer", "suicide-toi",
		// English
		"motherfucker", "fuck you", "faggot", "nigger", "kike", "wetback", "cunt",
		"kill yourself", "go kill yourself", "i will kill you", "inferior race",
	}
}

// builtinSuspect are the marks of spam and of heated exchanges: a
// contribution holding one waits for a moderator.
func builtinSuspect() []string {
	return []string{
		// French
		"casino", "paris sportifs", "crédit rapide", "prêt rapide", "argent facile",
		"gagner de l'argent", "devenez riche", "rencontre coquine", "rencontres coquines",
		"cliquez ici", "promo exclusive", "bitcoin", "crypto", "cryptomonnaie", "forex",
		"abruti", "crétin", "débile", "imbécile", "ferme-la", "putain",
		// English
		"viagra", "cialis", "porn", "xxx", "escort", "payday loan", "cheap pills",
		"replica watches", "click here", "buy now", "work from home", "seo services",
		"backlinks", "make money fast", "idiot", "moron", "stupid", "shut up",
	}
}
