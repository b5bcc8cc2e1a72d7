// Runs in <head>, before Bootstrap Italia's bundle.
// - html.js tells the CSS that scripts run (without them the mobile menu is shown inline);
// - video.js (inside the bundle) must not inject a <style>: our CSP blocks inline styles;
// - fonts come from the static fonts.css, never from an injected <style>.
document.documentElement.classList.add('js');
window.VIDEOJS_NO_DYNAMIC_STYLE = true;
window.__PUBLIC_PATH__ = '/assets/bootstrap-italia/fonts';

/** The CSRF token for fetch() calls: send it as the X-CSRF-Token header. */
window.pcCsrfToken = function () {
  var meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.getAttribute('content') : '';
};
