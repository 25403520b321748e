// Phones: a table can be read as one card per row when each cell carries its column's name
// (site.css shows the name before the value under 40rem). Pages work without this script: a wide
// table then scrolls inside itself. The roles keep a screen reader's table navigation when the
// cards' CSS changes how the table is displayed.
(function () {
  var tables = document.querySelectorAll("main table");
  Array.prototype.forEach.call(tables, function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.replace(/\s+/g, " ").trim();
    });
    if (!heads.length) { return; }
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.querySelectorAll("tr"), function (tr) {
      tr.setAttribute("role", "row");
      var column = 0;
      Array.prototype.forEach.call(tr.children, function (cell) {
        var inHead = cell.parentNode.parentNode.tagName === "THEAD";
        cell.setAttribute("role", inHead ? "columnheader" : (cell.tagName === "TH" ? "rowheader" : "cell"));
        if (!inHead && heads[column] && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", heads[column]); }
        column += parseInt(cell.getAttribute("colspan") || "1", 10);
      });
    });
    Array.prototype.forEach.call(table.querySelectorAll("thead, tbody, tfoot"), function (group) {
      group.setAttribute("role", "rowgroup");
    });
    table.classList.add("stacked");
  });
})();
