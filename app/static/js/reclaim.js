/*
 * Reclaim — the one site script. Loaded with `defer` after htmx; every page
 * works without it. No inline code, no eval (CSP: script-src 'self').
 *
 *  - focus: after an htmx swap, the first .error-summary in the swapped target,
 *    else its [data-focus-after-swap] element; on a full page load, .error-summary.
 *  - textarea[data-maxlength]: live "N of MAX characters" in the field's .char-count.
 *  - meta[name=csrf-token]: sent as X-CSRF-Token on every htmx request.
 *  - form[data-confirm]: native confirm() before submitting (plain and htmx).
 *  - button[data-print]: shown, and prints the page (a respondent's receipt).
 *  - a failed htmx request (4xx/5xx other than 422, or no network) is told to the
 *    person in #request-status if the page has it; a failed boosted GET falls
 *    back to a full page load so the server's error page is shown.
 *  - a[data-leave-site] ("Leave this site"): replaces the page with the neutral
 *    site (location.replace, so Back does not return here); pressing Shift three
 *    times within a second does the same (as GOV.UK's "Exit this page").
 *  - words come from the page (body data-msg-* attributes), in its language.
 */
'use strict';

(function () {
  function focusElement(el) {
    if (!el) return false;
    if (!el.hasAttribute('tabindex') && !el.matches('a[href], button, input, select, textarea')) {
      el.setAttribute('tabindex', '-1');
    }
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: 'start', behavior: 'auto' });
    return true;
  }

  function focusWithin(root) {
    if (!root || !root.querySelector) return;
    const summary = root.matches('.error-summary') ? root : root.querySelector('.error-summary');
    if (focusElement(summary)) return;
    const marked = root.matches('[data-focus-after-swap]') ? root : root.querySelector('[data-focus-after-swap]');
    focusElement(marked);
  }

  // Code points, as the server counts them (Python len()), not UTF-16 units.
  function updateCounter(textarea) {
    const max = parseInt(textarea.dataset.maxlength, 10);
    if (!max) return;
    const scope = textarea.closest('.field') || textarea.parentElement;
    const counter = scope && scope.querySelector('.char-count');
    if (!counter) return;
    const used = Array.from(textarea.value).length;
    const text = message('count', '{used} of {max} characters')
      .replace('{used}', used).replace('{max}', max);
    if (counter.textContent !== text) counter.textContent = text;
    counter.classList.toggle('char-count--over', used > max);
  }

  // The page's words for this script, in the page's language (see base.html).
  function message(name, fallback) {
    const value = document.body && document.body.getAttribute('data-msg-' + name);
    return value || fallback;
  }

  function leaveSite(link) {
    const target = link.getAttribute('href');
    document.title = '';
    document.body.hidden = true;
    window.location.replace(target);
  }

  document.addEventListener('click', function (event) {
    const link = event.target.closest && event.target.closest('a[data-leave-site]');
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    leaveSite(link);
  });

  let shiftPresses = [];
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Shift' || event.repeat) return;
    const now = Date.now();
    shiftPresses = shiftPresses.filter(function (t) { return now - t < 1000; });
    shiftPresses.push(now);
    if (shiftPresses.length >= 3) {
      const link = document.querySelector('a[data-leave-site]');
      if (link) leaveSite(link);
    }
  });
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Shift') shiftPresses = [];
  }, true);

  function initCounters(root) {
    root.querySelectorAll('textarea[data-maxlength]').forEach(updateCounter);
  }

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : null;
  }

  function announce(text) {
    const region = document.getElementById('request-status');
    if (region) region.textContent = text;
  }

  document.addEventListener('input', function (event) {
    if (event.target.matches && event.target.matches('textarea[data-maxlength]')) {
      updateCounter(event.target);
    }
  });

  // Capture phase: runs before htmx's own submit listener on the form, so
  // stopping here cancels both a plain submit and an htmx (hx-boost/hx-post) one.
  document.addEventListener('submit', function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-confirm')) return;
    const question = form.getAttribute('data-confirm') || message('confirm', 'Are you sure?');
    if (!window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // button[data-print]: hidden without script (the browser's own Print does the same).
  document.querySelectorAll('button[data-print]').forEach(function (button) {
    button.hidden = false;
  });
  document.addEventListener('click', function (event) {
    const button = event.target.closest && event.target.closest('button[data-print]');
    if (button) window.print();
  });

  document.addEventListener('htmx:configRequest', function (event) {
    const token = csrfToken();
    if (token) event.detail.headers['X-CSRF-Token'] = token;
  });

  document.addEventListener('htmx:beforeRequest', function () {
    announce('');
  });

  // Fired on each settled element (the target, or the new element of an
  // outerHTML swap); history restores carry no requestConfig and keep focus.
  document.addEventListener('htmx:afterSettle', function (event) {
    if (!event.detail.requestConfig || !event.target.isConnected) return;
    focusWithin(event.target);
  });

  // htmx:load fires for the initial body and for every piece of swapped-in content.
  document.addEventListener('htmx:load', function (event) {
    initCounters(event.detail.elt);
  });

  function requestFailed(event, message) {
    const detail = event.detail;
    const verb = detail.requestConfig ? detail.requestConfig.verb : '';
    const path = detail.pathInfo ? detail.pathInfo.requestPath : null;
    if (detail.boosted && verb === 'get' && path) {
      window.location.assign(path);
      return;
    }
    announce(message);
  }

  document.addEventListener('htmx:responseError', function (event) {
    // The server's own error message was swapped into #messages: nothing more to say.
    const xhr = event.detail.xhr;
    if (xhr && /id="error-message"/.test(xhr.responseText || '')) return;
    const status = event.detail.xhr ? event.detail.xhr.status : '';
    requestFailed(event, message('failed', 'Sorry, that did not work (error {status}). ' +
      'Nothing was changed. Reload the page and try again.').replace('{status}', status));
  });

  document.addEventListener('htmx:sendError', function (event) {
    requestFailed(event, message('offline', 'Sorry, the site could not be reached. ' +
      'Check your connection and try again.'));
  });

  function onReady() {
    initCounters(document);
    const summary = document.querySelector('.error-summary');
    if (summary) focusElement(summary);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', onReady);
  } else {
    onReady();
  }
})();
