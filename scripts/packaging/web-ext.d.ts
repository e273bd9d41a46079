// The part of web-ext's programmatic API this project uses (web-ext ships no types).
declare module 'web-ext' {
  export interface LintMessage {
    code: string;
    message: string;
    description?: string | string[];
    file?: string;
    line?: number;
    column?: number;
  }
  export interface LintResult {
    count: number;
    summary: { errors: number; warnings: number; notices: number };
    errors: LintMessage[];
    warnings: LintMessage[];
    notices: LintMessage[];
  }
  const webExt: {
    cmd: {
      lint(
        params: {
          sourceDir: string;
          output?: 'json' | 'text' | 'none';
          selfHosted?: boolean;
          boring?: boolean;
          pretty?: boolean;
        },
        options?: { shouldExitProgram?: boolean },
      ): Promise<LintResult>;
    };
  };
  export default webExt;
}
