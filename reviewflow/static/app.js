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
    function openPopover(range, sectionEl, start, end) {
      var cps = Array.from(canonical(sectionEl));
      var quote = cps.slice(start, end).join("");
      form.elements.section.value = sectionEl.dataset.section;
      form.elements.start.value = start;
      form.elements.end.value = end;
      form.elements.quote.value = quote;
      pop.querySelector(".quote-preview").textContent = "« " + (quote.length > 200 ? quote.slice(0, 200) + "…" : quote) + " »";
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

  // Keyboard: n / p move to the next / previous thread that is not resolved.
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var tag = (ev.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || ev.target.isContentEditable) return;
    if (ev.key !== "n" && ev.key !== "p") return;
    var items = Array.from(document.querySelectorAll(".sections article.thread:not(.status-resolved)"));
    if (!items.length) return;
    var current = document.activeElement && document.activeElement.closest("article.thread");
    var i = items.indexOf(current);
    i = ev.key === "n" ? (i + 1) % items.length : (i <= 0 ? items.length - 1 : i - 1);
    items[i].scrollIntoView({ block: "center" });
    items[i].focus({ preventScroll: true });
    ev.preventDefault();
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
      if (m) { m.scrollIntoView({ block: "center" }); m.classList.add("flash"); setTimeout(function () { m.classList.remove("flash"); }, 1200); }
    }
  });
})();
