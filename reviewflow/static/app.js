/* reviewflow: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // Characters as Word counts "with spaces": code points of the NFC text, line breaks excluded.
  function count(text) {
    var t = text.replace(/\r\n?/g, "\n").normalize("NFC");
    var withSpaces = 0, withoutSpaces = 0;
    for (var ch of t) {
      if (ch === "\n") continue;
      withSpaces++;
      if (!/\s/.test(ch)) withoutSpaces++;
    }
    return { with: withSpaces, without: withoutSpaces };
  }
  var fmt = new Intl.NumberFormat(document.documentElement.lang || "fr");

  function setupCounter(area) {
    var out = area.parentElement.querySelector(".live-count") || area.nextElementSibling;
    var labels = document.getElementById("count-labels");
    var L = labels ? labels.dataset : { of: "/", chars: "characters", nospace: "without spaces", over: "over by" };
    var limit = parseInt(area.dataset.limit || "", 10);
    function update() {
      var c = count(area.value);
      var text = fmt.format(c.with) + (limit ? " / " + fmt.format(limit) : "") + " " + L.chars +
        " (" + fmt.format(c.without) + " " + L.nospace + ")";
      var over = limit && c.with > limit;
      if (over) text += " — " + L.over + " " + fmt.format(c.with - limit);
      if (out) { out.textContent = text; out.classList.toggle("over", !!over); }
      area.classList.toggle("over", !!over);
    }
    area.addEventListener("input", update);
    update();
  }
  document.querySelectorAll("textarea.counted").forEach(setupCounter);

  // Selection -> canonical offsets (code points) within one section, and the quote taken from
  // the section's own paragraphs so the server can verify it against its text.
  function cpLen(s) { return Array.from(s).length; }
  function offsetIn(node, offset) {
    var el = node.nodeType === 1 ? node : node.parentElement;
    var para = el && el.closest("[data-start]");
    if (!para) return null;
    var r = document.createRange();
    r.setStart(para, 0);
    r.setEnd(node, offset);
    return parseInt(para.dataset.start, 10) + cpLen(r.toString());
  }
  function canonical(sectionEl) {
    var paras = Array.from(sectionEl.querySelectorAll("[data-start]"));
    paras.sort(function (a, b) { return a.dataset.start - b.dataset.start; });
    return paras.map(function (p) { return p.textContent; }).join("\n");
  }
  var pop = document.getElementById("selection-comment");
  var reattachThread = null;
  if (pop) {
    var form = pop.querySelector("form");
    var title = pop.querySelector(".sel-title"), titleText = title.textContent;
    function openPopover(range, sectionEl, start, end) {
      var whole = start === null;
      var cps = whole ? [] : Array.from(canonical(sectionEl));
      var quote = whole ? "" : cps.slice(start, end).join("");
      form.elements.section.value = sectionEl.dataset.section;
      form.elements.start.value = whole ? "" : start;
      form.elements.end.value = whole ? "" : end;
      form.elements.quote.value = quote;
      title.textContent = whole ? title.dataset.sectionTitle : titleText;
      pop.querySelector(".quote-preview").textContent = whole ? "" :
        "« " + (quote.length > 200 ? quote.slice(0, 200) + "…" : quote) + " »";
      var reattach = reattachThread !== null;
      form.action = reattach ? form.dataset.reattachAction.replace("/threads/0/", "/threads/" + reattachThread + "/") : form.dataset.newAction;
      pop.querySelector(".new-only").hidden = reattach;
      pop.querySelector(".reattach-only").hidden = !reattach;
      form.elements.body.required = !reattach;
      var rect = range.getBoundingClientRect();
      pop.style.top = (window.scrollY + rect.bottom + 8) + "px";
      pop.style.left = Math.max(8, Math.min(window.scrollX + rect.left, window.innerWidth - pop.offsetWidth - 16)) + "px";
      pop.hidden = false;
      (reattach ? form.querySelector("button.primary") : form.elements.body).focus({ preventScroll: true });
    }
    function onSelectionEnd(ev) {
      if (pop.contains(ev.target)) return;
      var sel = window.getSelection();
      if (!sel || sel.isCollapsed || sel.rangeCount === 0) return;
      var range = sel.getRangeAt(0);
      var a = range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentElement;
      var b = range.endContainer.nodeType === 1 ? range.endContainer : range.endContainer.parentElement;
      var sa = a.closest(".section-text"), sb = b.closest(".section-text");
      if (!sa || sa !== sb || sa.classList.contains("no-select")) return;
      var start = offsetIn(range.startContainer, range.startOffset);
      var end = offsetIn(range.endContainer, range.endOffset);
      if (start === null || end === null || end <= start) return;
      openPopover(range, sa, start, end);
    }
    document.addEventListener("mouseup", onSelectionEnd);
    // Keyboard users select with Shift + arrows, then release Shift.
    document.addEventListener("keyup", function (ev) { if (ev.key === "Shift") onSelectionEnd(ev); });
    function closePopover() { pop.hidden = true; reattachThread = null; document.body.classList.remove("reattaching"); }
    window.rfClosePopover = function () {
      closePopover(); form.reset(); clearMessage(form);
      var sel = window.getSelection(); if (sel) sel.removeAllRanges();
    };
    // "Comment" on a section's header: the same form, on the whole section.
    document.addEventListener("click", function (ev) {
      var link = ev.target.closest("a.sc");
      if (!link) return;
      ev.preventDefault();
      reattachThread = null;
      var sec = link.closest(".section").querySelector(".section-text");
      if (sec) openPopover(link, sec, null, null);
    });
    pop.querySelector(".cancel").addEventListener("click", closePopover);
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape" && !pop.hidden) closePopover(); });
    document.addEventListener("click", function (ev) {
      var btn = ev.target.closest("button.reattach");
      if (!btn) return;
      reattachThread = btn.dataset.thread;
      document.body.classList.add("reattaching");
      var sec = document.querySelector('.section-text[data-section="' + btn.dataset.section + '"]');
      if (sec) { sec.scrollIntoView({ block: "center" }); }
    });
  }

  // ---------------------------------------------------------------- the review pane
  var pane = document.getElementById("review-pane");
  var side = document.querySelector(".side");
  function openPartOf(el) {
    for (var d = el && el.closest("details.part"); d; d = d.parentElement && d.parentElement.closest("details.part")) d.open = true;
  }
  function showTab(which) {
    if (!side) return;
    side.dataset.tab = which;
    document.getElementById("tab-toc").setAttribute("aria-selected", which === "toc");
    document.getElementById("tab-pane").setAttribute("aria-selected", which === "pane");
  }
  if (side && pane) {
    var tabs = side.querySelector(".side-tabs");
    tabs.hidden = false;
    showTab(document.querySelector("#pane-list li") ? "pane" : "toc");
    tabs.addEventListener("click", function (ev) {
      var b = ev.target.closest("[role=tab]");
      if (b) showTab(b.id === "tab-pane" ? "pane" : "toc");
    });
    var q = document.getElementById("pane-q");
    q.hidden = false;
    q.addEventListener("input", function () {
      var words = q.value.trim().toLowerCase();
      pane.querySelectorAll("#pane-list li").forEach(function (li) {
        li.hidden = !!words && li.textContent.toLowerCase().indexOf(words) < 0 &&
          (li.closest("ol").getAttribute("aria-label") || "").toLowerCase().indexOf(words) < 0;
      });
    });
  }
  function paneItems() { return Array.from(document.querySelectorAll("#pane-list li:not([hidden])")); }
  function focusCard(card) {
    card.classList.add("flash");
    setTimeout(function () { card.classList.remove("flash"); }, 1200);
    card.focus({ preventScroll: true });
  }
  // Go to a thread: its words in the text (the part unfolded), and its card beside them
  // (asked for first when the section's cards are not loaded yet).
  function jumpTo(id) {
    var mark = document.querySelector('mark.hl[data-threads~="' + id + '"]');
    var card = document.getElementById("t-" + id);
    var item = document.getElementById("pi-" + id);
    document.querySelectorAll("#pane-list li.current").forEach(function (x) { x.classList.remove("current"); });
    if (item) item.classList.add("current");
    var target = mark || card;
    if (!target && item) {
      var key = item.closest("ol").id.slice(3);
      target = document.getElementById("s-" + key);
    }
    if (!target) return false;
    openPartOf(target);
    target.scrollIntoView({ block: "center" });
    if (mark) { mark.classList.add("flash"); setTimeout(function () { mark.classList.remove("flash"); }, 1200); }
    if (card) { focusCard(card); return true; }
    var sec = target.closest(".section");
    var lazy = sec && sec.querySelector(".threads.lazy");
    if (lazy && window.htmx) {
      lazy.addEventListener("htmx:afterSettle", function once() {
        lazy.removeEventListener("htmx:afterSettle", once);
        var c = document.getElementById("t-" + id);
        if (c) focusCard(c);
        else if (item) window.location.href = item.querySelector("a").href;   // a later page of cards
      });
      htmx.trigger(lazy, "load-now");
    }
    return true;
  }
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest("#pane-list li a");
    if (!a) return;
    if (jumpTo(a.parentElement.id.slice(3))) ev.preventDefault();
  });

  // Keyboard: j / k (or the arrows) move in the review pane, Enter goes to the words;
  // n / p move to the next / previous thread from anywhere on the page.
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var tag = (ev.target.tagName || "").toLowerCase();
    var inPane = ev.target.closest && ev.target.closest("#pane-list");
    if (tag === "input" || tag === "textarea" || tag === "select" || ev.target.isContentEditable) return;
    var key = inPane && ev.key === "ArrowDown" ? "j" : inPane && ev.key === "ArrowUp" ? "k" : ev.key;
    if (["j", "k", "n", "p"].indexOf(key) < 0) return;
    var items = paneItems();
    if (!items.length) return;
    var current = document.activeElement && document.activeElement.closest("#pane-list li, article.thread");
    var id = current ? (current.dataset.thread || current.id.slice(3)) : null;
    var i = items.findIndex(function (li) { return li.id.slice(3) === id; });
    var fwd = key === "j" || key === "n";
    i = fwd ? (i + 1) % items.length : (i <= 0 ? items.length - 1 : i - 1);
    ev.preventDefault();
    if (key === "j" || key === "k") {
      showTab("pane");
      var a = items[i].querySelector("a");
      a.focus({ preventScroll: true });
      a.scrollIntoView({ block: "nearest" });
    } else {
      jumpTo(items[i].id.slice(3));
    }
  });

  // Click a highlight -> its thread; click a thread's quote -> its words.
  document.addEventListener("click", function (ev) {
    var mark = ev.target.closest("mark.hl");
    if (mark) {
      var t = document.getElementById("t-" + mark.dataset.threads.split(" ")[0]);
      if (t) { t.scrollIntoView({ block: "center" }); t.focus({ preventScroll: true }); }
      return;
    }
    var go = ev.target.closest("a.goto");
    if (go) {
      ev.preventDefault();
      var m = document.querySelector('mark.hl[data-threads~="' + go.dataset.thread + '"]');
      if (m) { openPartOf(m); m.scrollIntoView({ block: "center" }); m.classList.add("flash"); setTimeout(function () { m.classList.remove("flash"); }, 1200); }
    }
    var ex = ev.target.closest("button.expand");
    if (ex) {
      var card = ex.closest("article");
      var open = card.classList.toggle("collapsed") === false;
      ex.setAttribute("aria-expanded", open);
    }
  });
  // A table-of-contents link, or an address with #s-..., into a folded part: unfold it.
  function unfoldHash() {
    var el = location.hash && document.getElementById(location.hash.slice(1));
    if (el) { openPartOf(el); }
  }
  window.addEventListener("hashchange", unfoldHash);
  unfoldHash();
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest('.toc a[href^="#"]');
    if (a) openPartOf(document.getElementById(a.getAttribute("href").slice(1)));
  });

  // ---------------------------------------------------------------- inputs that never lose text
  var LIM = document.documentElement.lang === "en" ?
    { of: " / ", over: "Too long by %n characters: shorten it (nothing was sent).",
      empty: "Write something first: a comment cannot be empty." } :
    { of: " / ", over: "Trop long de %n caractères : raccourcissez-le (rien n'a été envoyé).",
      empty: "Écrivez d'abord quelque chose : un commentaire ne peut pas être vide." };
  function messageSlot(form) {
    var slot = form.querySelector(".form-msg");
    if (!slot) {
      slot = document.createElement("p");
      slot.className = "form-msg";
      slot.setAttribute("role", "alert");
      var btn = form.querySelector("button.primary, button:not([type=button])");
      form.insertBefore(slot, btn ? (btn.closest(".buttons") || btn) : null);
    }
    return slot;
  }
  function showMessage(form, text) { var s = messageSlot(form); s.textContent = text; s.hidden = false; }
  function clearMessage(form) { var s = form.querySelector(".form-msg"); if (s) { s.textContent = ""; s.hidden = true; } }
  function setupCommentCounter(area) {
    if (area.dataset.counter) return;
    area.dataset.counter = "1";
    var max = parseInt(area.dataset.maxlength, 10);
    var out = document.createElement("span");
    out.className = "live-count";
    out.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", out);
    function update() {
      var n = count(area.value).with;
      out.textContent = fmt.format(n) + LIM.of + fmt.format(max);
      out.classList.toggle("over", n > max);
      area.classList.toggle("over", n > max);
    }
    area.addEventListener("input", update);
    update();
  }
  function setupAll(root) {
    (root || document).querySelectorAll("textarea.counted-comment[data-maxlength]").forEach(setupCommentCounter);
  }
  setupAll();
  // Checked before anything is sent: an empty comment or one over the limit stays in its box.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    var area = form.querySelector("textarea.counted-comment[data-maxlength]");
    if (!area || ev.submitter && ev.submitter.hasAttribute("formnovalidate")) return;
    if (area.required && !area.value.trim() && !area.closest("[hidden]")) {
      ev.preventDefault(); ev.stopImmediatePropagation(); showMessage(form, LIM.empty); area.focus(); return;
    }
    var over = count(area.value).with - parseInt(area.dataset.maxlength, 10);
    if (over > 0) {
      ev.preventDefault(); ev.stopImmediatePropagation(); showMessage(form, LIM.over.replace("%n", fmt.format(over)));
      area.focus();
    }
  }, true);
  // htmx checks before sending too (its own submit handling).
  document.addEventListener("htmx:confirm", function (ev) {
    var form = ev.detail.elt;
    if (!form || form.tagName !== "FORM") return;
    var area = form.querySelector("textarea.counted-comment[data-maxlength]");
    if (!area) return;
    var hiddenArea = !!area.closest("[hidden]");
    if (area.required && !hiddenArea && !area.value.trim()) { ev.preventDefault(); showMessage(form, LIM.empty); area.focus(); return; }
    var over = count(area.value).with - parseInt(area.dataset.maxlength, 10);
    if (over > 0) { ev.preventDefault(); showMessage(form, LIM.over.replace("%n", fmt.format(over))); area.focus(); }
  });

  // Upload: the size limit checked before sending the file.
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    var form = input.form;
    function check() {
      var f = input.files && input.files[0];
      var max = parseInt(input.dataset.maxBytes, 10);
      if (f && f.size > max) {
        showMessage(form, input.dataset.tooLarge.replace("%s", (f.size / 1048576).toFixed(1)));
        return false;
      }
      clearMessage(form);
      return true;
    }
    input.addEventListener("change", check);
    form.addEventListener("submit", function (ev) { if (!check()) { ev.preventDefault(); input.focus(); } });
  });

  // The section editor: a warning before leaving with text not saved.
  var editor = document.querySelector("form.editor");
  if (editor) {
    var initial = new FormData(editor), saving = false;
    var snapshot = function (fd) { return Array.from(fd.entries()).map(function (kv) { return kv.join("="); }).join("&"); };
    var first = snapshot(initial);
    editor.addEventListener("submit", function () { saving = true; });
    window.addEventListener("beforeunload", function (ev) {
      if (!saving && snapshot(new FormData(editor)) !== first) { ev.preventDefault(); ev.returnValue = ""; }
    });
  }

  // ---------------------------------------------------------------- in-place answers (htmx)
  // A refusal (4xx) is shown by its form, the typed text and the selection kept.
  document.addEventListener("htmx:responseError", function (ev) {
    var form = ev.detail.elt.closest ? ev.detail.elt.closest("form") || ev.detail.elt : ev.detail.elt;
    var box = document.createElement("div");
    box.innerHTML = ev.detail.xhr.responseText;
    var p = box.querySelector(".refusal");
    var text = p ? p.textContent : (ev.detail.xhr.status + " " + ev.detail.xhr.statusText);
    if (form && form.tagName === "FORM") { showMessage(form, text); return; }
    var live = document.getElementById("live");
    if (live) live.textContent = text;
    if (ev.detail.elt && ev.detail.elt.classList && ev.detail.elt.classList.contains("lazy")) {
      var p2 = document.createElement("p"); p2.className = "form-msg"; p2.textContent = text;
      ev.detail.elt.appendChild(p2);
    }
  });
  document.addEventListener("htmx:sendError", function (ev) {
    var form = ev.detail.elt;
    if (form && form.tagName === "FORM") showMessage(form, document.documentElement.lang === "en" ?
      "The server could not be reached: nothing was sent. Your text is still here; try again." :
      "Le serveur est injoignable : rien n'a été envoyé. Votre texte est toujours là ; réessayez.");
  });
  // Keep the reader's place: the card that asked stays at the same height on the screen, and
  // focus goes back into it (its replacement) rather than to the top of the page.
  var keep = null;
  document.addEventListener("htmx:beforeRequest", function (ev) {
    var card = ev.detail.elt.closest && ev.detail.elt.closest("article.thread");
    keep = card ? { id: card.id, top: card.getBoundingClientRect().top, focus: card.contains(document.activeElement) } : null;
  });
  document.addEventListener("htmx:afterSettle", function (ev) {
    setupAll(ev.detail.elt);
    var pc = document.getElementById("pane-count");
    if (pc) pc.textContent = document.querySelectorAll("#pane-list li").length;
    if (ev.detail.elt && ev.detail.elt.id === "live") return;
    if (!keep) return;
    var card = document.getElementById(keep.id);
    if (card) {
      var delta = card.getBoundingClientRect().top - keep.top;
      if (Math.abs(delta) > 1) window.scrollBy(0, delta);
      if (keep.focus && (document.activeElement === document.body || !document.activeElement)) card.focus({ preventScroll: true });
    }
  });
  document.addEventListener("htmx:afterRequest", function (ev) {
    var form = ev.detail.elt;
    if (!ev.detail.successful || !form || form.tagName !== "FORM") return;
    clearMessage(form);
    if (pop && pop.contains(form) && window.rfClosePopover) window.rfClosePopover();
    var d = form.closest("details.actions"); if (d && d.isConnected) { d.open = false; form.reset(); }
  });
  // A new thread on a section that had none: its thread column is made, then the card put in it.
  document.addEventListener("htmx:oobErrorNoTarget", function (ev) {
    var content = ev.detail.content;
    var spec = content && content.getAttribute && content.getAttribute("hx-swap-oob") || "";
    var m = spec.match(/^beforeend:#th-(.+)$/);
    if (!m) return;
    var sec = document.getElementById("s-" + m[1]);
    if (!sec) return;
    var col = document.createElement("div");
    col.className = "threads"; col.id = "th-" + m[1];
    while (content.firstChild) col.appendChild(content.firstChild);
    sec.querySelector(".section-body").appendChild(col);
    sec.classList.add("has-threads");
    htmx.process(col);
  });
  // "Undo" stays a few seconds after resolving, then the card stays folded.
  document.addEventListener("htmx:oobAfterSwap", function (ev) {
    var card = ev.detail.target;
    if (!card || !card.classList || !card.classList.contains("just-resolved")) return;
    setTimeout(function () { var u = card.querySelector("form.undo"); if (u) u.remove(); }, 10000);
  });
  document.addEventListener("htmx:afterSwap", function (ev) {
    document.querySelectorAll("article.just-resolved").forEach(function (card) {
      if (card.dataset.timer) return;
      card.dataset.timer = "1";
      setTimeout(function () { var u = card.querySelector("form.undo"); if (u) u.remove(); }, 10000);
    });
  });
})();
