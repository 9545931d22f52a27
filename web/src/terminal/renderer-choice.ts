export type Renderer = 'webgl' | 'dom';

/** GL drivers that draw on the CPU: WebGL through them is slower than the DOM renderer. */
const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software|basic render/i;

/**
 * WebGL when a GPU backs it, else the DOM renderer. Measured in headless Chromium on a 2-core
 * box without a GPU (SwiftShader): output into xterm.js at 2 MB/s with WebGL against 20 MB/s
 * with the DOM renderer. `?renderer=webgl` or `?renderer=dom` in the page address decides instead.
 */
export function chooseRenderer(): Renderer {
  const wanted = new URLSearchParams(location.search).get('renderer');
  if (wanted === 'webgl' || wanted === 'dom') return wanted;
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return 'dom';
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  // Give the probe's context back at once: Chromium keeps only ~16 per page.
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return SOFTWARE_GL.test(name) ? 'dom' : 'webgl';
}
