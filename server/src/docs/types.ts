/** What the parsers produce and the chunker consumes. */

/** A run of text under one heading path (and, for PDF, on one page). */
export interface Section {
  /** Headings from the outermost down, e.g. ["Handbook", "Office software"]; [] before the first heading. */
  headingPath: string[];
  text: string;
  /** 1-based page number (PDF only). */
  page?: number;
}

export interface Chunk {
  /** Position in the document, from 0. */
  index: number;
  /** The chunk's own text, as it appears in the document. */
  text: string;
  headingPath: string[];
  page?: number;
  /**
   * What to embed and index: the heading path, then the text, so a chunk from "## Office software"
   * still matches a query about office software when its own sentences never say so.
   */
  indexText: string;
}
