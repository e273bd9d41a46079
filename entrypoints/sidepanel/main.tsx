import { render } from 'preact';

function SidePanel() {
  return <main>验真 Yanzhen</main>;
}

const root = document.getElementById('app');
if (root) render(<SidePanel />, root);
