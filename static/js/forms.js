// Passerelle: a field shown only with its choice, and a form sent once.
//
// An element with data-show-when="ID" is hidden unless the radio button or
// checkbox ID is checked ("Votre question" appears only once "Une question
// de mon choix" is chosen). Without this script it is always shown, and the
// server ignores it unless that choice was made.
//
// A form is sent once. A second click (or Enter pressed twice)
// while the first submission travels is ignored and the buttons say they
// are busy; the server answers a repeated submission with the first one's
// outcome anyway, so without this script the page is still right.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || form.tagName !== "FORM") {
      return;
    }
    if (form.getAttribute("data-sent") === "1") {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-sent", "1");
    var buttons = form.querySelectorAll("button, input[type=submit]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-disabled", "true");
    }
  });
  // A page shown again from the browser's history may be sent again.
  window.addEventListener("pageshow", function () {
    var sent = document.querySelectorAll("form[data-sent]");
    for (var i = 0; i < sent.length; i++) {
      sent[i].removeAttribute("data-sent");
      var buttons = sent[i].querySelectorAll("[aria-disabled]");
      for (var j = 0; j < buttons.length; j++) {
        buttons[j].removeAttribute("aria-disabled");
      }
    }
  });
})();

(function () {
  "use strict";
  var dependents = document.querySelectorAll("[data-show-when]");
  if (!dependents.length) {
    return;
  }
  function update() {
    for (var i = 0; i < dependents.length; i++) {
      var choice = document.getElementById(dependents[i].getAttribute("data-show-when"));
      dependents[i].hidden = !(choice && choice.checked);
    }
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && (target.type === "radio" || target.type === "checkbox")) {
      update();
    }
  });
  update();
})();
