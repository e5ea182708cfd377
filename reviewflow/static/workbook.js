/* reviewflow: the budget workbook panel (templates/reports/_workbook.html).  Clicking a cell of a
   table fills the "comment on a cell" form (Shift+click: a range from the cell clicked before);
   a link to a cell shows it.  The page works without this file: the form takes a typed reference. */
(function () {
  "use strict";
  var form = document.querySelector("#wb-comment form");
  var last = null;
  function parse(ref) {
    var m = /^([A-Z]+)(\d+)$/.exec(ref);
    if (!m) return null;
    var col = 0;
    for (var i = 0; i < m[1].length; i++) col = col * 26 + (m[1].charCodeAt(i) - 64);
    return { col: col, row: parseInt(m[2], 10), letters: m[1] };
  }
  function letters(col) {
    var out = "";
    while (col > 0) { var r = (col - 1) % 26; out = String.fromCharCode(65 + r) + out; col = Math.floor((col - 1) / 26); }
    return out;
  }
  function range(a, b) {
    var p = parse(a), q = parse(b);
    if (!p || !q) return b;
    var r1 = Math.min(p.row, q.row), r2 = Math.max(p.row, q.row);
    var c1 = Math.min(p.col, q.col), c2 = Math.max(p.col, q.col);
    var first = letters(c1) + r1, second = letters(c2) + r2;
    return first === second ? first : first + ":" + second;
  }
  document.addEventListener("click", function (ev) {
    var td = ev.target.closest("table.wb-table td[data-ref]");
    if (!td || !form || ev.target.closest("a")) return;
    var table = td.closest("table.wb-table");
    var sheet = table.dataset.sheet;
    var ref = td.dataset.ref;
    if (ev.shiftKey && last && last.sheet === sheet) {
      ref = range(last.ref, ref);
      window.getSelection().removeAllRanges();
    } else {
      last = { sheet: sheet, ref: ref };
    }
    document.querySelectorAll("table.wb-table td.picked").forEach(function (el) { el.classList.remove("picked"); });
    td.classList.add("picked");
    form.elements.sheet.value = sheet;
    form.elements.cell.value = ref;
    var details = form.closest("details");
    if (details) details.open = true;
    form.elements.body.focus({ preventScroll: true });
    details.scrollIntoView({ block: "nearest" });
  });
  // A link to a cell opens the sheet it is on (closed <details>) before the browser scrolls to it.
  function reveal(hash) {
    if (!hash || hash.indexOf("#wb-s") !== 0) return;
    var cell = document.getElementById(hash.slice(1));
    if (!cell) return;
    var d = cell.closest("details");
    if (d && !d.open) d.open = true;
    cell.scrollIntoView({ block: "center" });
  }
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest("a.cell-link");
    if (a) reveal(a.getAttribute("href"));
  });
  reveal(window.location.hash);
})();
