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

  // Selection -> canonical offsets (code points) within one section.
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
  var pop = document.getElementById("selection-comment");
  if (pop) {
    var form = pop.querySelector("form");
    document.addEventListener("mouseup", function (ev) {
      if (pop.contains(ev.target)) return;
      var sel = window.getSelection();
      if (!sel || sel.isCollapsed || sel.rangeCount === 0) return;
      var range = sel.getRangeAt(0);
      var a = range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentElement;
      var b = range.endContainer.nodeType === 1 ? range.endContainer : range.endContainer.parentElement;
      var sa = a.closest(".section-text"), sb = b.closest(".section-text");
      if (!sa || sa !== sb) return;
      var start = offsetIn(range.startContainer, range.startOffset);
      var end = offsetIn(range.endContainer, range.endOffset);
      if (start === null || end === null || end <= start) return;
      form.elements.section.value = sa.dataset.section;
      form.elements.start.value = start;
      form.elements.end.value = end;
      var quote = sel.toString().replace(/\r\n?/g, "\n");
      form.elements.quote.value = "";  // the server checks the offsets against its own text
      pop.querySelector(".quote-preview").textContent = "« " + (quote.length > 200 ? quote.slice(0, 200) + "…" : quote) + " »";
      var rect = range.getBoundingClientRect();
      pop.style.top = (window.scrollY + rect.bottom + 8) + "px";
      pop.style.left = Math.max(8, window.scrollX + rect.left) + "px";
      pop.hidden = false;
      form.elements.body.focus({ preventScroll: true });
    });
    pop.querySelector(".cancel").addEventListener("click", function () { pop.hidden = true; });
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") pop.hidden = true; });
  }

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
