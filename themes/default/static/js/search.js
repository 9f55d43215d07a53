/* Foyer search: queries the static index written by `foyer build`
 * (generator/search). No dependencies. The analyser below must give the
 * same tokens as generator/search/analyse.go: a Go test runs both. */
(function () {
  'use strict';

  var ANALYSER = 1, FORMAT = 1, MAX_TOKEN = 40, PAGE = 10;

  function set(words) {
    var m = Object.create(null);
    words.split(/\s+/).forEach(function (w) { if (w) m[w] = true; });
    return m;
  }

  var FOLDS = {
    'à': 'a', 'á': 'a', 'â': 'a', 'ã': 'a', 'ä': 'a', 'å': 'a', 'ā': 'a', 'ă': 'a', 'ą': 'a',
    'æ': 'ae', 'ç': 'c', 'ć': 'c', 'č': 'c', 'ď': 'd', 'đ': 'd', 'ð': 'd',
    'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e', 'ē': 'e', 'ė': 'e', 'ę': 'e', 'ě': 'e',
    'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i', 'ī': 'i', 'į': 'i', 'ı': 'i',
    'ł': 'l', 'ñ': 'n', 'ń': 'n', 'ň': 'n',
    'ò': 'o', 'ó': 'o', 'ô': 'o', 'õ': 'o', 'ö': 'o', 'ø': 'o', 'ō': 'o', 'ő': 'o', 'œ': 'oe',
    'ř': 'r', 'ś': 's', 'š': 's', 'ş': 's', 'ß': 'ss', 'ť': 't', 'ţ': 't', 'þ': 'th',
    'ù': 'u', 'ú': 'u', 'û': 'u', 'ü': 'u', 'ū': 'u', 'ů': 'u', 'ű': 'u',
    'ý': 'y', 'ÿ': 'y', 'ź': 'z', 'ż': 'z', 'ž': 'z',
    'ά': 'α', 'έ': 'ε', 'ή': 'η', 'ί': 'ι', 'ό': 'ο', 'ύ': 'υ', 'ώ': 'ω', 'ϊ': 'ι', 'ϋ': 'υ', 'ς': 'σ'
  };
  var ELISIONS = set('l d qu j n s c m t jusqu lorsqu puisqu quoiqu');
  var STOP = {
    fr: set('a ai au aux avec avez avoir avons c ca ce ceci cela ces cet cette comme d dans de des du elle elles en est et etaient etait ete etre eu eux il ils j je l la le les leur leurs lui m ma mais me meme mes moi mon n ne nos notre nous on ont ou par pas pour qu que quel quelle qui s sa sans se ses si son sont sur t ta te tes toi ton tu un une vos votre vous y'),
    en: set('a all an and any are as at be been but by can did do does for from had has have he her his how i if in into is it its me my no not of on or our she so than that the their them then there these they this those to was we were what when where which who will with you your')
  };
  var FR_SUFFIXES = ['issement', 'ement', 'atrice', 'ateur', 'ation', 'ition', 'iste', 'isme', 'euse', 'eur', 'ive', 'if', 'ee', 'er', 'ez', 'e'];
  var WORD = /[\p{L}\p{Nd}\p{M}]/u, MARK = /\p{M}/u, APOS = /['’‘ʼ]/, ASCII = /^[a-z]+$/;

  function ends(w, s) { return w.length >= s.length && w.slice(w.length - s.length) === s; }

  function stemFrench(w) {
    if (w.length <= 3) return w;
    if (ends(w, 'eaux')) w = w.slice(0, -1);
    else if (ends(w, 'aux') && w.length > 4) w = w.slice(0, -3) + 'al';
    else if ((ends(w, 's') || ends(w, 'x')) && !ends(w, 'ss')) w = w.slice(0, -1);
    for (var i = 0; i < FR_SUFFIXES.length; i++) {
      var s = FR_SUFFIXES[i];
      if (ends(w, s) && w.length - s.length >= 3) return w.slice(0, -s.length);
    }
    return w;
  }

  function undouble(w) {
    var n = w.length;
    if (n >= 4 && w[n - 1] === w[n - 2] && 'aeiouylsz'.indexOf(w[n - 1]) < 0) return w.slice(0, -1);
    return w;
  }

  function stemEnglish(w) {
    if (w.length <= 3) return w;
    if (ends(w, 'ies') && w.length > 4) w = w.slice(0, -3) + 'y';
    else if (ends(w, 'sses') || ends(w, 'shes') || ends(w, 'ches') || ends(w, 'xes') || ends(w, 'zes')) w = w.slice(0, -2);
    else if (ends(w, 's') && !ends(w, 'ss') && !ends(w, 'us') && !ends(w, 'is')) w = w.slice(0, -1);
    if (ends(w, 'ing') && w.length - 3 >= 3) w = undouble(w.slice(0, -3));
    else if (ends(w, 'ed') && w.length - 2 >= 3) w = undouble(w.slice(0, -2));
    else if (ends(w, 'e') && w.length - 1 >= 4) w = w.slice(0, -1);
    return w;
  }

  function fold(ch) {
    if (MARK.test(ch)) return '';
    var out = '';
    for (var c of ch.toLowerCase()) {
      if (MARK.test(c)) continue;
      out += FOLDS[c] || c;
    }
    return out;
  }

  // analyse returns the terms of text: the same contract as Analyse in
  // generator/search/analyse.go.
  function analyse(text, lang) {
    lang = lang === 'en' ? 'en' : 'fr';
    var stop = STOP[lang], out = [], part = '', parts = [];
    function flush(elided) {
      var w = part;
      part = '';
      if (w === '' || (elided && lang === 'fr' && ELISIONS[w])) return;
      parts.push(w);
    }
    function emit() {
      for (var i = 0; i < parts.length; i++) {
        var w = parts[i], n = Array.from(w).length;
        if (n < 2 || n > MAX_TOKEN || stop[w]) continue;
        if (!ASCII.test(w)) out.push(w);
        else out.push(lang === 'en' ? stemEnglish(w) : stemFrench(w));
      }
      parts = [];
    }
    for (var ch of String(text)) {
      if (APOS.test(ch)) flush(true);
      else if (WORD.test(ch)) part += fold(ch);
      else { flush(false); emit(); }
    }
    flush(false);
    emit();
    return out;
  }

  // cmp orders strings by code point, as Go's sort.Strings does on UTF-8.
  function cmp(a, b) {
    var x = Array.from(a), y = Array.from(b);
    for (var i = 0; i < x.length && i < y.length; i++) {
      var d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d !== 0) return d;
    }
    return x.length - y.length;
  }

  // chunkOf is the index of the chunk whose range holds term.
  function chunkOf(starts, term) {
    var lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (cmp(starts[mid], term) <= 0) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  // parse turns a query into groups of alternatives. While the reader is
  // still typing the last word, it also matches words that begin with it.
  function parse(q, lang) {
    var m = /[\p{L}\p{Nd}\p{M}'’‘ʼ]+$/u.exec(q), groups = [], seen = Object.create(null);
    var head = m ? q.slice(0, m.index) : q, last = m ? analyse(m[0], lang) : [];
    var terms = analyse(head, lang).concat(last);
    terms.forEach(function (t, i) {
      var prefix = m && i === terms.length - 1 && last.length > 0 && Array.from(t).length >= 3;
      var key = t + (prefix ? '*' : '');
      if (seen[key]) return;
      seen[key] = true;
      groups.push({ term: t, prefix: prefix });
    });
    return groups;
  }

  // rank adds each group's best score per document and orders documents
  // by groups matched, then score, then newest (the highest id). Words
  // that merely begin like the one being typed score with the idf of the
  // typed word (or the commonest of them) at 0.8: a rare longer word must
  // not outrank the word itself.
  function rank(groups, chunks) {
    var docs = new Map();
    groups.forEach(function (g) {
      var best = new Map(), lists = [], exactIdf = 0, minIdf = Infinity;
      g.chunks.forEach(function (ci) {
        var c = chunks[ci];
        if (!c) return;
        Object.keys(c).forEach(function (term) {
          var exact = term === g.term;
          if (!exact && !(g.prefix && term.lastIndexOf(g.term, 0) === 0)) return;
          lists.push({ exact: exact, p: c[term] });
          if (exact) exactIdf = c[term][0];
          else minIdf = Math.min(minIdf, c[term][0]);
        });
      });
      var expIdf = 0.8 * (exactIdf || minIdf);
      lists.forEach(function (l) {
        var p = l.p, id = 0, idf = l.exact ? p[0] : expIdf;
        for (var i = 1; i < p.length; i += 2) {
          id += p[i];
          var s = p[i + 1] * idf;
          if (!(best.get(id) >= s)) best.set(id, s);
        }
      });
      best.forEach(function (s, id) {
        var d = docs.get(id) || { id: id, score: 0, hits: 0 };
        d.score += s;
        d.hits++;
        docs.set(id, d);
      });
    });
    return Array.from(docs.values()).sort(function (a, b) {
      return b.hits - a.hits || b.score - a.score || b.id - a.id;
    });
  }

  var api = { analyse: analyse, parse: parse, rank: rank, chunkOf: chunkOf, cmp: cmp };
  if (typeof module === 'object' && module.exports) module.exports = api;
  if (typeof document === 'undefined') return;

  // The page: everything below runs in the browser only.
  var root = document.getElementById('search');
  if (!root) return;
  var form = root.querySelector('form'), input = root.querySelector('input[type=search]');
  var status = root.querySelector('[role=status]'), list = root.querySelector('ol.results');
  var moreBtn = root.querySelector('button.more-results');
  var base = root.getAttribute('data-index');
  var lang = document.documentElement.lang;
  var plural = new Intl.PluralRules(lang);
  var manifest = null, chunkCache = new Map(), docCache = new Map(), current = 0, timer = 0;
  var ranked = [], shown = 0, groupsShown = [];

  function url(path) { return base + path + '?v=' + manifest.version; }
  function getJSON(u, opts) {
    return fetch(u, opts).then(function (r) {
      if (!r.ok) throw new Error(u + ': HTTP ' + r.status);
      return r.json();
    });
  }
  function cached(cache, key, u) {
    if (!cache.has(key)) cache.set(key, getJSON(u).catch(function (e) { cache.delete(key); throw e; }));
    return cache.get(key);
  }
  function loadManifest() {
    if (manifest) return Promise.resolve(manifest);
    return getJSON(base + 'manifest.json', { cache: 'no-cache' }).then(function (m) {
      if (m.format !== FORMAT || m.analyser !== ANALYSER) throw new Error('search index format ' + m.format + '/' + m.analyser + ', script ' + FORMAT + '/' + ANALYSER);
      manifest = m;
      return m;
    });
  }

  function say(text) { status.textContent = text; }
  function count(n) {
    return root.getAttribute('data-count-' + plural.select(n)) || root.getAttribute('data-count-other');
  }

  function run(q) {
    var ticket = ++current;
    if (!q.trim()) { clear(); say(''); return; }
    loadManifest().then(function (m) {
      var groups = parse(q, m.lang);
      var need = new Set();
      groups.forEach(function (g) {
        var from = chunkOf(m.chunks, g.term), to = g.prefix ? chunkOf(m.chunks, g.term + '\u{10FFFF}') : from;
        if (to - from > 2) to = from; // a short prefix spanning many chunks: exact word only
        g.chunks = [];
        for (var i = from; i <= to && m.chunks.length; i++) { g.chunks.push(i); need.add(i); }
      });
      var chunks = {};
      return Promise.all(Array.from(need).map(function (i) {
        return cached(chunkCache, i, url('t/' + i + '.json')).then(function (c) { chunks[i] = c; });
      })).then(function () {
        if (ticket !== current) return;
        ranked = rank(groups, chunks);
        groupsShown = groups;
        shown = 0;
        list.replaceChildren();
        if (ranked.length === 0) {
          say(root.getAttribute('data-none'));
          moreBtn.hidden = true;
          return;
        }
        say(count(ranked.length).replace('%d', ranked.length));
        return more(ticket);
      }).then(function () {
        // The query whose results are on screen, for styles and tests.
        if (ticket === current) root.setAttribute('data-shown', q);
      });
    }).catch(function (e) {
      if (ticket === current) say(root.getAttribute('data-error'));
      if (window.console) console.error(e);
    });
  }

  function clear() { ranked = []; shown = 0; list.replaceChildren(); moreBtn.hidden = true; }

  function more(ticket) {
    var page = ranked.slice(shown, shown + PAGE);
    shown += page.length;
    moreBtn.hidden = shown >= ranked.length;
    return Promise.all(page.map(function (r) {
      return cached(docCache, r.id, url('d/' + r.id + '.json'));
    })).then(function (docs) {
      if (ticket !== current) return;
      docs.forEach(function (d) { list.appendChild(item(d)); });
    });
  }

  // matcher tells whether a word of the text matches the query.
  function matcher(groups, lng) {
    return function (word) {
      return analyse(word, lng).some(function (t) {
        return groups.some(function (g) { return t === g.term || (g.prefix && t.lastIndexOf(g.term, 0) === 0); });
      });
    };
  }

  // highlight appends text to el, wrapping matched words in <mark>. It
  // builds text nodes only: index data never becomes markup.
  function highlight(el, text, hit) {
    var re = /[\p{L}\p{Nd}\p{M}'’‘ʼ]+/gu, at = 0, m;
    while ((m = re.exec(text))) {
      if (!hit(m[0])) continue;
      if (m.index > at) el.appendChild(document.createTextNode(text.slice(at, m.index)));
      var mark = document.createElement('mark');
      mark.textContent = m[0];
      el.appendChild(mark);
      at = m.index + m[0].length;
    }
    if (at < text.length) el.appendChild(document.createTextNode(text.slice(at)));
  }

  // excerpt is about 30 words of text around its first match.
  function excerpt(text, hit) {
    var words = text.split(' '), first = -1;
    for (var i = 0; i < words.length && first < 0; i++) if (hit(words[i])) first = i;
    if (first < 0) return null;
    var from = Math.max(0, first - 10), to = Math.min(words.length, from + 30);
    return (from > 0 ? '… ' : '') + words.slice(from, to).join(' ') + (to < words.length ? ' …' : '');
  }

  function item(d) {
    var hit = matcher(groupsShown, manifest.lang);
    var li = document.createElement('li'), h = document.createElement('h2'), a = document.createElement('a');
    a.href = d.u;
    highlight(a, d.t, hit);
    h.appendChild(a);
    li.appendChild(h);
    if (d.d || d.a) {
      var meta = document.createElement('p');
      meta.className = 'byline';
      if (d.d) {
        var time = document.createElement('time');
        time.dateTime = d.i || '';
        time.textContent = d.d;
        meta.appendChild(time);
      }
      if (d.a) {
        var by = document.createElement('span');
        by.className = 'author';
        by.textContent = d.a;
        meta.appendChild(by);
      }
      li.appendChild(meta);
    }
    var text = excerpt(d.x || '', hit) || excerpt(d.s || '', hit) || (d.s || d.x || '').split(' ').slice(0, 30).join(' ');
    var p = document.createElement('p');
    p.className = 'excerpt';
    highlight(p, text, hit);
    li.appendChild(p);
    return li;
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll('h2 a')); }

  // Arrow keys move between the box and the results; Escape goes back.
  root.addEventListener('keydown', function (e) {
    var all = links(), i = all.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' && all.length) {
      all[Math.min(i + 1, all.length - 1)].focus();
    } else if (e.key === 'ArrowUp' && i >= 0) {
      (i === 0 ? input : all[i - 1]).focus();
    } else if (e.key === 'Escape' && i >= 0) {
      input.focus();
    } else {
      return;
    }
    e.preventDefault();
  });

  function update() {
    var q = input.value;
    var u = new URL(window.location.href);
    if (q) u.searchParams.set('q', q); else u.searchParams.delete('q');
    history.replaceState(null, '', u);
    run(q);
  }
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(update, 60); // coalesce fast typing into one query
  });
  form.addEventListener('submit', function (e) { e.preventDefault(); clearTimeout(timer); update(); });
  moreBtn.addEventListener('click', function () { more(current); });

  var initial = new URLSearchParams(window.location.search).get('q');
  if (initial) { input.value = initial; run(initial); }
})();
