/* Occupation search for the referral form: suggests NOC 2021 unit groups while the caseworker
   types a code or words, and names the chosen occupation. Without JavaScript the field still
   takes a code. Loaded as a file (no inline script) so a strict Content-Security-Policy holds. */
(function () {
  "use strict";
  var input = document.querySelector("input[data-kit-noc-search]");
  if (!input || !window.fetch) { return; }
  var list = document.getElementById(input.getAttribute("list"));
  var chosen = document.getElementById(input.id + "-title");
  var endpoint = input.getAttribute("data-kit-noc-search");
  var lang = input.getAttribute("data-kit-noc-lang") || "en";
  var titles = {};
  var timer = null;
  var asked = "";

  function showChosen() {
    var code = input.value.trim();
    if (chosen && titles[code]) { chosen.textContent = titles[code] + " (" + code + ")"; }
  }

  function fill(results) {
    list.textContent = "";
    results.forEach(function (item) {
      titles[item.code] = item.title;
      var option = document.createElement("option");
      option.value = item.code;
      option.label = item.title;
      option.textContent = item.title;
      list.appendChild(option);
    });
    showChosen();
  }

  function search() {
    var query = input.value.trim();
    if (query.length < 2 || query === asked) { showChosen(); return; }
    asked = query;
    var url = endpoint + "?q=" + encodeURIComponent(query) + "&lang=" + encodeURIComponent(lang);
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        // A slower answer to an older query must not replace the current suggestions.
        if (query === input.value.trim()) { fill(data.results || []); }
      })
      .catch(function () { /* the field still accepts a typed code */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 200);
  });
  input.addEventListener("change", showChosen);
}());
