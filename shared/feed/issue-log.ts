/**
 * Collects issues while reading one document. Hostile or broken input can repeat the same problem a million
 * times (a million bad attributes), so after `cap` issues of one code the rest are only counted and reported
 * as a single summary at the end: the report stays readable and memory stays bounded.
 */
import { issue, type Issue, type IssueSeverity } from './issues';

export class IssueLog {
  private readonly list: Issue[] = [];
  private readonly perCode = new Map<string, { count: number; severity: IssueSeverity }>();

  constructor(
    /** Prefix of every path: the file name, to which `#<json pointer>` is appended. */
    readonly file: string,
    private readonly cap = 200,
  ) {}

  /** `pointer` is a JSON pointer into the document (`/Event/Attribute/3/value`), or '' for the whole file. */
  add(severity: IssueSeverity, code: string, pointer: string, message: string): void {
    const seen = this.perCode.get(code);
    const count = (seen?.count ?? 0) + 1;
    this.perCode.set(code, { count, severity: seen?.severity ?? severity });
    if (count <= this.cap) this.list.push(issue(severity, code, pointer ? `${this.file}#${pointer}` : this.file, message));
  }

  error(code: string, pointer: string, message: string): void {
    this.add('error', code, pointer, message);
  }

  warn(code: string, pointer: string, message: string): void {
    this.add('warning', code, pointer, message);
  }

  info(code: string, pointer: string, message: string): void {
    this.add('info', code, pointer, message);
  }

  /** The issues, with one summary per code that went over the cap. */
  finish(): Issue[] {
    const out = [...this.list];
    for (const [code, { count, severity }] of this.perCode) {
      if (count > this.cap) out.push(issue(severity, code, this.file, `${count - this.cap} more issues like this were not listed one by one`));
    }
    return out;
  }
}
