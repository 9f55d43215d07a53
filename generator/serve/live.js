// Live reload for foyer serve: injected into served HTML only.
(function () {
  "use strict";
  var me = document.currentScript;
  var path = me.dataset.path;
  var version = Number(me.dataset.version);
  var missing = me.dataset.missing === "true";
  var overlay = null;

  function showError(msg) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "foyer-error";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;" +
        "background:rgba(24,8,8,.94);color:#fff;font:15px/1.5 ui-monospace,monospace;white-space:pre-wrap";
      var title = document.createElement("strong");
      title.textContent = "foyer serve: the last rebuild failed. This page shows the last good build.";
      overlay.appendChild(title);
      overlay.appendChild(document.createElement("pre"));
      document.body.appendChild(overlay);
    }
    overlay.lastChild.textContent = msg; // text, never HTML
  }

  function clearError() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  function pathOf(url) {
    return new URL(url, location.href).pathname;
  }

  // shown lists the URL paths this page displays: itself and what it embeds.
  function shown() {
    var set = {};
    set[path] = true;
    document.querySelectorAll("[src]").forEach(function (el) {
      set[pathOf(el.getAttribute("src"))] = true;
    });
    return set;
  }

  function swapStyles(changed) {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href, location.href);
      if (changed[url.pathname]) {
        url.searchParams.set("foyer", String(Date.now()));
        link.href = url.href;
      }
    });
  }

  function apply(paths) {
    var css = {}, other = [];
    paths.forEach(function (p) {
      if (/\.css$/.test(p)) css[p] = true; else other.push(p);
    });
    if (missing && other.length) {
      location.reload(); // this page may exist now
      return;
    }
    var mine = shown();
    for (var i = 0; i < other.length; i++) {
      if (mine[other[i]]) {
        location.reload();
        return;
      }
    }
    swapStyles(css);
  }

  var source = new EventSource("/_foyer/events");
  source.onmessage = function (e) {
    var ev = JSON.parse(e.data);
    if (ev.type === "hello") {
      if (ev.version !== version) {
        location.reload(); // rebuilt while this page was loading or offline
        return;
      }
    } else if (ev.type === "change") {
      clearError();
      apply(ev.paths || []);
    }
    version = ev.version;
    if (ev.error) showError(ev.error); else if (ev.type === "hello") clearError();
  };
  window.addEventListener("pagehide", function () { source.close(); });
})();
