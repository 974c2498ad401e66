import type { OpsConsole } from '../../src/index.js';

/** An operator's browser in miniature: sends requests to the handler, keeps the console's cookie. */
export interface ConsoleClient {
  get(path: string, headers?: Record<string, string>): Promise<Page>;
  post(path: string, form: Record<string, string>, headers?: Record<string, string>): Promise<Response>;
  /** The CSRF token of the last page that had a form. */
  readonly csrfToken: string | undefined;
}

/** A response with its body read. */
export interface Page {
  readonly response: Response;
  readonly body: string;
}

export const ORIGIN = 'http://console.test';
export const OPERATOR = { authorization: 'Bearer operator-token' };

export function consoleClient(ops: OpsConsole, credentials: Record<string, string> = OPERATOR): ConsoleClient {
  let cookie: string | undefined;
  let csrfToken: string | undefined;
  const headersWith = (extra: Record<string, string>) => ({ ...credentials, ...(cookie === undefined ? {} : { cookie }), ...extra });
  return {
    get csrfToken() {
      return csrfToken;
    },
    async get(path, headers = {}) {
      const response = await ops.fetch(new Request(ORIGIN + path, { headers: headersWith(headers) }));
      const setCookie = response.headers.get('set-cookie');
      if (setCookie !== null) cookie = setCookie.split(';')[0];
      const body = await response.text();
      csrfToken = /name="csrf" value="([^"]+)"/.exec(body)?.[1] ?? csrfToken;
      return { response, body };
    },
    post(path, form, headers = {}) {
      return ops.fetch(
        new Request(ORIGIN + path, {
          method: 'POST',
          headers: headersWith({ 'content-type': 'application/x-www-form-urlencoded', ...headers }),
          body: new URLSearchParams(form).toString(),
        }),
      );
    },
  };
}

/** Every `href` and `action` attribute value of a page (HTML-unescaped `&amp;`). */
export function linksOf(body: string): string[] {
  return [...body.matchAll(/\s(?:href|action)="([^"]*)"/g)].map((match) => match[1]!.replace(/&amp;/g, '&'));
}
