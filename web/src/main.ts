import '@xterm/xterm/css/xterm.css';
import '../styles/base.css';
import '../styles/controls.css';
import '../styles/catalog.css';
import '../styles/workspace.css';
import '../styles/lesson.css';
import '../styles/code.css';
import '../styles/terminal.css';
import '../styles/forms.css';
import '../styles/classroom.css';
import '../styles/instructor.css';
import { startRouter } from './router.ts';
import { applyTheme } from './theme.ts';

applyTheme();
startRouter(document.getElementById('app')!);
