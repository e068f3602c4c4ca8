// Upload with drag-and-drop and a progress bar, then poll the server while the workbook is read.
// Without JavaScript the form posts normally and the server answers when processing is done.
(function () {
  'use strict';
  var form = document.getElementById('upload-form');
  if (form && window.FormData && window.XMLHttpRequest) {
    var input = form.querySelector('input[type=file]');
    var button = form.querySelector('button[type=submit]');
    var box = form.querySelector('.progress');
    var bar = box.querySelector('progress');
    var text = box.querySelector('.progress-text');
    var csv = document.getElementById('csv-fields');
    var msg = function (k) {
      return form.getAttribute('data-msg-' + k) || '';
    };
    var mb = function (n) {
      return n >= 1048576 ? (n / 1048576).toFixed(1) + ' MB' : Math.max(1, Math.round(n / 1024)) + ' KB';
    };
    // the CSV fields matter only for a CSV: shown when one is chosen (always shown without JavaScript)
    var isCsv = function () {
      return input.files.length > 0 && /\.csv$/i.test(input.files[0].name);
    };
    // a CSV needs the year and the founding date from the form: required then, so the browser asks before sending
    var showCsv = function () {
      if (!csv) return;
      csv.hidden = !isCsv();
      csv.querySelectorAll('[data-csv-required]').forEach(function (el) {
        el.required = isCsv();
      });
    };
    showCsv();
    input.addEventListener('change', function () {
      showCsv();
      fail(null);
    });
    var fail = function (message, link) {
      box.classList.toggle('failed', !!message);
      if (!message) {
        text.textContent = '';
        return;
      }
      box.hidden = false;
      text.textContent = message + ' ';
      if (link) {
        var a = document.createElement('a');
        a.href = link.href;
        a.textContent = link.text;
        text.appendChild(a);
      }
    };
    ['dragenter', 'dragover'].forEach(function (ev) {
      form.addEventListener(ev, function (e) {
        e.preventDefault();
        form.classList.add('over');
      });
    });
    ['dragleave', 'drop'].forEach(function (ev) {
      form.addEventListener(ev, function () {
        form.classList.remove('over');
      });
    });
    form.addEventListener('drop', function (e) {
      e.preventDefault();
      if (e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        showCsv();
      }
    });
    form.addEventListener('submit', function (e) {
      if (!input.files.length) return;
      e.preventDefault();
      if (button.disabled) return;
      var file = input.files[0];
      var maxBytes = Number(form.getAttribute('data-max-bytes')) || Infinity;
      // the limit is checked here, before anything is sent
      if (file.size > maxBytes) {
        fail(msg('too-large').replace('{size}', mb(file.size)));
        return;
      }
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.setRequestHeader('x-csrf-token', form.getAttribute('data-csrf'));
      button.disabled = true;
      fail(null);
      box.hidden = false;
      bar.value = 0;
      text.textContent = msg('sending');
      var done = function () {
        button.disabled = false;
      };
      xhr.upload.onprogress = function (p) {
        if (p.lengthComputable) {
          bar.value = Math.round((p.loaded / p.total) * 100);
          text.textContent = msg('sending') + ' ' + bar.value + ' %';
        }
      };
      xhr.onload = function () {
        if (xhr.status === 202) {
          window.location.href = JSON.parse(xhr.responseText).pageUrl;
          return;
        }
        done();
        if (xhr.status === 401 || xhr.status === 403 || xhr.responseURL.indexOf('/login') >= 0) {
          fail(msg('login'), { href: '/login?next=' + encodeURIComponent(location.pathname), text: '→' });
          return;
        }
        if (xhr.status === 413) {
          fail(msg('too-large').replace('{size}', mb(file.size)));
          return;
        }
        var detail = '';
        try {
          detail = JSON.parse(xhr.responseText).message || '';
        } catch (err) {
          detail = '';
        }
        fail(msg('failed') + detail, { href: location.pathname, text: msg('retry') });
      };
      xhr.onerror = function () {
        done();
        fail(msg('network'), { href: location.pathname, text: msg('retry') });
      };
      xhr.send(new FormData(form));
    });
  }
  var proc = document.getElementById('processing');
  if (proc) {
    var url = proc.getAttribute('data-status-url');
    var label = proc.getAttribute('data-rows-label');
    var rows = proc.querySelector('.rows');
    var poll = function () {
      fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) {
          return r.json();
        })
        .then(function (s) {
          if (s.checkUrl) {
            window.location.href = s.checkUrl;
            return;
          }
          if (s.status === 'failed') {
            window.location.reload();
            return;
          }
          rows.textContent = label.replace('{n}', s.rowsRead);
          setTimeout(poll, 700);
        })
        .catch(function () {
          setTimeout(poll, 2000);
        });
    };
    setTimeout(poll, 300);
  }
  // a table that fits its box needs no "swipe sideways" hint
  var hints = function () {
    Array.prototype.forEach.call(document.querySelectorAll('.table-wrap + .scroll-hint'), function (h) {
      var w = h.previousElementSibling;
      h.classList.toggle('fits', w.scrollWidth <= w.clientWidth + 1);
    });
  };
  hints();
  window.addEventListener('resize', hints);
  // a plain upload form (the register import): the size is checked before sending, the button disabled while it sends
  Array.prototype.forEach.call(document.querySelectorAll('form[data-send-once]'), function (f) {
    f.addEventListener('submit', function (e) {
      var file = f.querySelector('input[type=file]');
      var button = f.querySelector('button[type=submit]');
      var error = f.querySelector('[data-send-error]');
      var max = Number(f.getAttribute('data-max-bytes')) || Infinity;
      if (file && file.files.length && file.files[0].size > max) {
        e.preventDefault();
        if (error) {
          error.textContent = f.getAttribute('data-msg-too-large') || '';
          error.hidden = false;
        }
        return;
      }
      if (button) button.disabled = true;
    });
  });
  // the report page's print button (inline handlers are barred by the CSP)
  Array.prototype.forEach.call(document.querySelectorAll('[data-print]'), function (b) {
    b.addEventListener('click', function () {
      window.print();
    });
  });
  // the tax-form block: copy one column's value for the e-tax form. The page is often served over plain
  // http inside a bureau's network, where the asynchronous clipboard is not offered: copy through a
  // selected text field then. The button says it copied, and a status line tells a screen reader.
  var copyStatus = document.querySelector('[data-copy-status]');
  function copyText(text) {
    if (navigator.clipboard && navigator.clipboard.writeText && window.isSecureContext)
      return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand('copy');
      } catch (e) {
        ok = false;
      }
      document.body.removeChild(area);
      if (ok) resolve();
      else reject(new Error('copy refused'));
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll('[data-copy]'), function (b) {
    var label = b.textContent;
    b.addEventListener('click', function () {
      copyText(b.getAttribute('data-copy')).then(
        function () {
          b.classList.add('copied');
          b.textContent = b.getAttribute('data-copied');
          if (copyStatus) copyStatus.textContent = b.getAttribute('aria-label') + ' — ' + b.getAttribute('data-copied');
          setTimeout(function () {
            b.classList.remove('copied');
            b.textContent = label;
          }, 2000);
        },
        function () {},
      );
    });
  });
  // long background work (a year's recompute): the page reloads itself while it runs — to the run's own
  // address, so its outcome shows once it ends — but never while the reader is filling in a form on it
  var refresh = document.querySelector('[data-refresh]');
  if (refresh) {
    var edited = false;
    document.addEventListener('input', function () {
      edited = true;
    });
    var timer = setInterval(
      function () {
        if (edited) return clearInterval(timer); // what they typed stays; the page's link still reloads it
        var active = document.activeElement;
        if (active && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName)) return; // about to type: next time
        clearInterval(timer);
        window.location.replace(refresh.getAttribute('data-refresh-to') || window.location.href);
      },
      Number(refresh.getAttribute('data-refresh')) * 1000,
    );
  }
})();
