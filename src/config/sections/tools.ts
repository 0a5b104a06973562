import { hostList, wholeNumber } from '../parsers';
import { setting, type Section } from '../setting';

/** The built-in tools. */
export const toolSettings = {
  httpAllowedHosts: setting('HTTP_ALLOWED_HOSTS', hostList, {
    doc: 'what the `http_get` tool may fetch: `host` (ports 80 and 443 only) or `host:port` entries; empty = nothing',
  }),
  httpGetMaxBytes: setting('HTTP_GET_MAX_BYTES', wholeNumber(1024, 1_073_741_824), {
    default: '1048576',
    doc: 'most body `http_get` reads; past it the request is aborted and the body shown cut',
  }),
} satisfies Section;
