/**
 * When the data directory cannot be written at start-up (full disk, read-only mount), the app does not
 * exit — a supervisor would restart it into the same fault, a crash loop. It answers every request with a
 * clear 503 page (and /healthz with the reason), probes the directory again every few seconds, and starts
 * normally as soon as a write succeeds.
 */
import { createServer, type Server } from 'node:http';
import { STORAGE_TEXT, type StorageFault } from './storage';

function maintenancePage(fault: StorageFault): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>QuotaDesk · 暂停服务 / unavailable</title></head><body><main><h1>暂停服务 · Temporarily unavailable</h1><p>${STORAGE_TEXT[fault].zh}</p><p lang="en">${STORAGE_TEXT[fault].en}</p></main></body></html>`;
}

export function startMaintenance(port: number, fault: StorageFault, detail: string): Server {
  const server = createServer((req, res) => {
    res.setHeader('Retry-After', '30');
    res.setHeader('Cache-Control', 'no-store');
    if (req.url?.startsWith('/healthz')) {
      res
        .writeHead(503, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ ok: false, storage: fault, detail }));
      return;
    }
    res.writeHead(503, { 'Content-Type': 'text/html; charset=utf-8' }).end(maintenancePage(fault));
  });
  server.listen(port);
  return server;
}
