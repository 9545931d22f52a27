import type { LabSummaryBody } from '../../../shared/api.ts';
import { h, icon } from '../dom.ts';

/** Labs picked in teaching order: the picked ones as a numbered list to reorder, the others to add. */
export class LabPicker {
  readonly element: HTMLElement;
  private picked: string[] = [];
  private readonly pickedList = h('ol', { class: 'picked-labs', attrs: { 'data-testid': 'picked-labs' } });
  private readonly available = h('ul', { class: 'available-labs' });

  constructor(private readonly labs: readonly LabSummaryBody[]) {
    this.element = h(
      'div',
      { class: 'lab-picker' },
      h('div', { class: 'lab-picker-column' }, h('h3', { class: 'field-label', text: 'Labs, in the order learners take them' }), this.pickedList),
      h('div', { class: 'lab-picker-column' }, h('h3', { class: 'field-label', text: 'Add a lab' }), this.available),
    );
    this.render();
  }

  get labIds(): string[] {
    return [...this.picked];
  }

  clear(): void {
    this.picked = [];
    this.render();
  }

  private move(index: number, by: number): void {
    const to = index + by;
    if (to < 0 || to >= this.picked.length) return;
    [this.picked[index], this.picked[to]] = [this.picked[to]!, this.picked[index]!];
    this.render();
  }

  private render(): void {
    const title = (id: string) => this.labs.find((l) => l.id === id)?.title ?? id;
    this.pickedList.replaceChildren(
      ...(this.picked.length === 0
        ? [h('li', { class: 'picked-empty', text: 'No lab yet: add one from the list.' })]
        : this.picked.map((id, index) =>
            h(
              'li',
              { class: 'picked-lab', attrs: { 'data-lab': id } },
              h('span', { class: 'picked-place', text: String(index + 1) }),
              h('span', { class: 'picked-title', text: title(id) }),
              this.button('Move up', 'arrowUp', index === 0, () => this.move(index, -1)),
              this.button('Move down', 'arrowDown', index === this.picked.length - 1, () => this.move(index, 1)),
              this.button('Remove', 'close', false, () => {
                this.picked.splice(index, 1);
                this.render();
              }),
            ),
          )),
    );
    const left = this.labs.filter((lab) => !this.picked.includes(lab.id));
    this.available.replaceChildren(
      ...(left.length === 0
        ? [h('li', { class: 'picked-empty', text: 'Every lab is in the class.' })]
        : left.map((lab) =>
            h(
              'li',
              {},
              h(
                'button',
                {
                  class: 'available-lab',
                  attrs: { type: 'button', 'data-lab': lab.id, title: lab.summary },
                  on: {
                    click: () => {
                      this.picked.push(lab.id);
                      this.render();
                    },
                  },
                },
                icon('plus', 14),
                h('span', { class: 'available-title', text: lab.title }),
                h('span', { class: 'available-meta', text: `${lab.stepCount} steps · ${lab.durationMinutes} min` }),
              ),
            ),
          )),
    );
  }

  private button(label: string, name: 'arrowUp' | 'arrowDown' | 'close', disabled: boolean, click: () => void): HTMLButtonElement {
    return h(
      'button',
      { class: 'btn btn-icon btn-icon-small', attrs: { type: 'button', 'aria-label': label, title: label, disabled }, on: { click } },
      icon(name, 14),
    );
  }
}
