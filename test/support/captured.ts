/** Captures what a CLI function writes to stdout and stderr while it runs, with its exit status. */
export async function captured(
  work: () => Promise<number>,
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  try {
    return { code: await work(), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}
