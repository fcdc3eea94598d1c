// biome-ignore-all lint/correctness/noVoidTypeReturn: the validator's checks end early by returning the void result of err()/text()/list()
// biome-ignore-all lint/suspicious/useIterableCallbackReturn: the same style inside forEach callbacks
// Block Kit validation with Slack's limits (see notes/helpdesk-apis.md). Messages follow Slack's own
// wording, `<problem> [json-pointer:/blocks/…]`, so adapters can be tested against realistic errors.

/** Slack's undocumented cap on the serialised blocks (msg_blocks_too_long). */
export const MAX_BLOCKS_JSON_CHARS = 13_000;

const BLOCK_TYPES = new Set([
  'section',
  'header',
  'divider',
  'context',
  'actions',
  'image',
  'rich_text',
  'input',
  'markdown',
  'file',
  'video',
  'table',
  'context_actions',
]);
const INTERACTIVE_TYPES = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'email_text_input',
  'file_input',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
  'number_input',
  'overflow',
  'plain_text_input',
  'radio_buttons',
  'rich_text_input',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'timepicker',
  'url_text_input',
  'workflow_button',
  'feedback_buttons',
  'icon_button',
]);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  errors: string[] = [];
  private ids = { block_id: new Set<string>(), action_id: new Set<string>() };

  err(problem: string, ptr: string): void {
    this.errors.push(`${problem} [json-pointer:${ptr}]`);
  }

  length(value: unknown, ptr: string, min: number, max: number): void {
    if (typeof value !== 'string') return this.err('must be a string', ptr);
    if (value.length < min) this.err(`must be more than ${min - 1} characters`, ptr);
    if (value.length > max) this.err(`must be less than ${max + 1} characters`, ptr);
  }

  text(value: unknown, ptr: string, max: number, plainOnly = false): void {
    if (value === undefined) return this.err('missing required field: text', ptr);
    if (!isObj(value)) return this.err('must provide an object', ptr);
    const types = plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
    if (!types.includes(String(value.type))) this.err(`must be one of: ${types.join(', ')}`, `${ptr}/type`);
    this.length(value.text, `${ptr}/text`, 1, max);
  }

  id(kind: 'block_id' | 'action_id', value: unknown, ptr: string): void {
    if (value === undefined) return;
    this.length(value, ptr, 1, 255);
    if (typeof value !== 'string') return;
    if (this.ids[kind].has(value)) this.err(`${kind} "${value}" already exists`, ptr);
    this.ids[kind].add(value);
  }

  list(value: unknown, ptr: string, min: number, max: number): unknown[] {
    if (!Array.isArray(value)) {
      this.err(value === undefined ? `missing required field: ${ptr.split('/').pop()}` : 'must be an array', ptr);
      return [];
    }
    if (value.length < min) this.err(`must contain at least ${min} items`, ptr);
    if (value.length > max) this.err(`no more than ${max} items allowed`, ptr);
    return value;
  }

  element(el: unknown, ptr: string): void {
    if (!isObj(el)) return this.err('must provide an object', ptr);
    if (typeof el.type !== 'string' || !INTERACTIVE_TYPES.has(el.type)) {
      return this.err('failed to match all allowed schemas', ptr);
    }
    this.id('action_id', el.action_id, `${ptr}/action_id`);
    if (el.type !== 'button') return;
    this.text(el.text, `${ptr}/text`, 75, true);
    if (el.value !== undefined) this.length(el.value, `${ptr}/value`, 1, 2000);
    if (el.url !== undefined) this.length(el.url, `${ptr}/url`, 1, 3000);
    if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') {
      this.err('must be one of: primary, danger', `${ptr}/style`);
    }
  }

  block(block: unknown, ptr: string): void {
    if (!isObj(block)) return this.err('must provide an object', ptr);
    if (typeof block.type !== 'string') return this.err('missing required field: type', ptr);
    if (!BLOCK_TYPES.has(block.type)) return this.err('failed to match all allowed schemas', ptr);
    this.id('block_id', block.block_id, `${ptr}/block_id`);
    switch (block.type) {
      case 'header':
        return this.text(block.text, `${ptr}/text`, 150, true);
      case 'section':
        if (block.text === undefined && block.fields === undefined) {
          return this.err('must provide either text or fields', ptr);
        }
        if (block.text !== undefined) this.text(block.text, `${ptr}/text`, 3000);
        if (block.fields !== undefined) {
          this.list(block.fields, `${ptr}/fields`, 1, 10).forEach((f, i) => this.text(f, `${ptr}/fields/${i}`, 2000));
        }
        if (block.accessory !== undefined) this.element(block.accessory, `${ptr}/accessory`);
        return;
      case 'actions':
        return this.list(block.elements, `${ptr}/elements`, 1, 25).forEach((el, i) => this.element(el, `${ptr}/elements/${i}`));
      case 'context':
        return this.list(block.elements, `${ptr}/elements`, 1, 10).forEach((el, i) => {
          const p = `${ptr}/elements/${i}`;
          if (isObj(el) && el.type === 'image') this.length(el.alt_text, `${p}/alt_text`, 1, 2000);
          else this.text(el, p, 3000);
        });
      case 'image':
        if (block.image_url === undefined && block.slack_file === undefined) {
          return this.err('missing required field: image_url', ptr);
        }
        if (block.image_url !== undefined) this.length(block.image_url, `${ptr}/image_url`, 1, 3000);
        this.length(block.alt_text, `${ptr}/alt_text`, 1, 2000);
        if (block.title !== undefined) this.text(block.title, `${ptr}/title`, 2000, true);
        return;
      case 'markdown':
        return this.length(block.text, `${ptr}/text`, 1, 12_000);
    }
  }
}

/** Returns Slack-style error strings; empty when the blocks are valid. */
export function validateBlocks(blocks: unknown): string[] {
  const c = new Checker();
  c.list(blocks, '/blocks', 0, 50).forEach((b, i) => c.block(b, `/blocks/${i}`));
  return c.errors;
}
