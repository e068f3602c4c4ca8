// Upload with drag-and-drop and a progress bar, then poll the server while the workbook is read.
// Without JavaScript the form posts normally and the server answers when processing is done.
(function () {
  'use strict';
  var form = document.getElementById('upload-form');
  if (form && window.FormData && window.XMLHttpRequest) {
    var input = form.querySelector('input[type=file]');
    var box = form.querySelector('.progress');
    var bar = box.querySelector('progress');
    var text = box.querySelector('.progress-text');
    ['dragenter', 'dragover'].forEach(function (ev) { form.addEventListener(ev, function (e) { e.preventDefault(); form.classList.add('over'); }); });
    ['dragleave', 'drop'].forEach(function (ev) { form.addEventListener(ev, function () { form.classList.remove('over'); }); });
    form.addEventListener('drop', function (e) { e.preventDefault(); if (e.dataTransfer.files.length) { input.files = e.dataTransfer.files; } });
    form.addEventListener('submit', function (e) {
      if (!input.files.length) return;
      e.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.setRequestHeader('x-csrf-token', form.getAttribute('data-csrf'));
      box.hidden = false;
      xhr.upload.onprogress = function (p) { if (p.lengthComputable) { bar.value = Math.round((p.loaded / p.total) * 100); text.textContent = bar.value + ' %'; } };
      xhr.onload = function () {
        if (xhr.status === 202) { window.location.href = JSON.parse(xhr.responseText).pageUrl; return; }
        text.textContent = xhr.status === 413 ? '413: file too large / 文件过大' : 'Error ' + xhr.status;
      };
      xhr.onerror = function () { text.textContent = 'network error / 网络错误'; };
      xhr.send(new FormData(form));
    });
  }
  var proc = document.getElementById('processing');
  if (proc) {
    var url = proc.getAttribute('data-status-url');
    var label = proc.getAttribute('data-rows-label');
    var rows = proc.querySelector('.rows');
    var poll = function () {
      fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (s) {
        if (s.checkUrl) { window.location.href = s.checkUrl; return; }
        if (s.status === 'failed') { window.location.reload(); return; }
        rows.textContent = label.replace('{n}', s.rowsRead);
        setTimeout(poll, 700);
      }).catch(function () { setTimeout(poll, 2000); });
    };
    setTimeout(poll, 300);
  }
  // the report page's print button (inline handlers are barred by the CSP)
  Array.prototype.forEach.call(document.querySelectorAll('[data-print]'), function (b) { b.addEventListener('click', function () { window.print(); }); });
})();
