/** A query the search grammar cannot read. `position` is the 0-based character offset it points at. */
export class SearchSyntaxError extends Error {
  override readonly name = 'SearchSyntaxError';
  readonly position: number;

  constructor(message: string, position: number) {
    super(`${message} (at position ${position})`);
    this.position = position;
  }
}
