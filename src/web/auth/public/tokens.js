// The personal API tokens page: the "Copia" button (progressive enhancement: without
// scripts the token stays selectable in its read-only field and the button stays hidden).
(function () {
  'use strict';
  var status = document.querySelector('[data-copy-status]');
  function say(text) {
    if (status) status.textContent = text;
  }
  document.querySelectorAll('[data-copy-target]').forEach(function (button) {
    var field = document.getElementById(button.getAttribute('data-copy-target'));
    if (!field) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      var copied = status ? status.getAttribute('data-copied') : '';
      var failed = status ? status.getAttribute('data-copy-failed') : '';
      field.select();
      var fallback = function () {
        // Older browsers or an insecure origin: the selected text, the old way.
        var ok = false;
        try {
          ok = document.execCommand('copy');
        } catch {
          ok = false;
        }
        say(ok ? copied : failed);
      };
      if (window.navigator.clipboard && window.isSecureContext) {
        window.navigator.clipboard.writeText(field.value).then(function () {
          say(copied);
        }, fallback);
      } else {
        fallback();
      }
    });
  });
  // After creating a token (or sending its form again), take keyboard and screen-reader
  // users to the answer; a form that could not be used at all, to its message.
  var heading =
    document.getElementById('new-token-heading') ||
    document.getElementById('already-created-heading') ||
    document.getElementById('form-problem');
  if (heading) heading.focus();
})();
