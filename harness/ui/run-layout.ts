import { matrixWidth } from './matrix.js';

/** Lines the layout keeps for itself: header, progress bar, key help, and one spare so Ink never goes full-screen. */
export const CHROME_LINES = 4;

export interface RunLayout {
  bodyHeight: number;
  /** List beside the right pane (wide) or above what is below it (narrow). */
  twoColumns: boolean;
  listHeight: number;
  leftWidth: number;
  rightWidth: number;
  labelWidth: number;
  /** Where the matrix goes, and how many lines it may take. */
  matrix: { place: 'right' | 'below' | 'none'; height: number };
  /** Where the detail pane goes and its size (place none when closed). */
  detail: { place: 'right' | 'full' | 'none'; width: number; height: number };
}

/**
 * Sizes every pane from the terminal size. Readable at 80x24: with the detail open on a
 * narrow terminal the detail takes the whole body (↑/↓ still move between scenarios) rather
 * than covering half the matrix; nothing is drawn taller than the body.
 */
export function runLayout(columns: number, rows: number, detailOpen: boolean, matrixLines: number): RunLayout {
  const bodyHeight = Math.max(3, rows - CHROME_LINES);
  const twoColumns = columns >= 72;
  const labelWidth = Math.max(12, Math.min(25, columns - 60));
  if (detailOpen) {
    if (columns >= 110) {
      const rightWidth = Math.floor(columns * 0.55);
      return {
        bodyHeight, twoColumns: true, listHeight: bodyHeight, leftWidth: columns - rightWidth - 1, rightWidth, labelWidth,
        matrix: { place: 'none', height: 0 }, detail: { place: 'right', width: rightWidth, height: bodyHeight },
      };
    }
    return {
      bodyHeight, twoColumns: false, listHeight: 0, leftWidth: columns, rightWidth: columns, labelWidth,
      matrix: { place: 'none', height: 0 }, detail: { place: 'full', width: columns, height: bodyHeight },
    };
  }
  if (twoColumns) {
    const rightWidth = matrixWidth(labelWidth);
    return {
      bodyHeight, twoColumns, listHeight: bodyHeight, leftWidth: columns - rightWidth - 1, rightWidth, labelWidth,
      matrix: { place: 'right', height: bodyHeight }, detail: { place: 'none', width: 0, height: 0 },
    };
  }
  const room = bodyHeight - matrixLines - 1;
  return {
    bodyHeight, twoColumns, listHeight: room >= 3 ? room : bodyHeight, leftWidth: columns, rightWidth: columns,
    labelWidth: Math.min(labelWidth, columns - 19),
    matrix: room >= 3 ? { place: 'below', height: matrixLines } : { place: 'none', height: 0 },
    detail: { place: 'none', width: 0, height: 0 },
  };
}

/**
 * A scenario id for a list row of `width` columns: the area header above already names the first
 * segment, so it is dropped; what is still too long loses its middle, keeping the distinctive end.
 */
export function rowLabel(id: string, width: number): string {
  const slash = id.indexOf('/');
  const short = slash > 0 && slash < id.length - 1 ? id.slice(slash + 1) : id;
  if (short.length <= width) return short;
  if (width <= 3) return short.slice(0, width);
  const tail = Math.floor((width - 1) / 2);
  const head = width - 1 - tail;
  return `${short.slice(0, head)}~${short.slice(short.length - tail)}`;
}
