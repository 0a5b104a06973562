import { flag, wholeNumber } from '../parsers';
import { setting, type Section } from '../setting';

/** Files people attach to their messages (docs/security.md#files). */
export const fileSettings = {
  modelVision: setting('MODEL_VISION', flag, {
    default: 'false',
    doc: 'the model reads images: attached png, jpeg, gif and webp go to it as image parts; otherwise it is told an image was attached and not shown',
  }),
  imageMaxBytes: setting('IMAGE_MAX_BYTES', wholeNumber(1024, 50_000_000), {
    default: '5000000',
    doc: 'largest attached image read; a larger one is refused, and its download stops at this many bytes',
  }),
  textMaxChars: setting('FILE_TEXT_MAX_CHARS', wholeNumber(100, 1_000_000), {
    default: '20000',
    doc: 'most characters of an attached text file (text/*, JSON, CSV, YAML, source) the model reads; a longer one is cut, with a note',
  }),
} satisfies Section;
