// The registration form: show only the evidence asked of the provider kind chosen above it (each
// requirement's fieldset names its kinds in data-kinds). Without this script every requirement is
// shown with a sentence saying which kinds it is asked of; the server requires only the chosen kind's.
(function () {
  var radios = document.querySelectorAll("input[name='kind']");
  var sets = document.querySelectorAll("fieldset[data-kinds]");
  if (!radios.length || !sets.length) { return; }
  function chosen() {
    for (var i = 0; i < radios.length; i++) { if (radios[i].checked) { return radios[i].value; } }
    return "company";
  }
  function show() {
    var kind = chosen();
    Array.prototype.forEach.call(sets, function (set) {
      set.hidden = (" " + set.getAttribute("data-kinds") + " ").indexOf(" " + kind + " ") < 0;
    });
  }
  Array.prototype.forEach.call(radios, function (radio) { radio.addEventListener("change", show); });
  show();
})();
