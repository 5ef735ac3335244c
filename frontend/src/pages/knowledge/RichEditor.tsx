// The article editor on TipTap (ProseMirror): bold, italic, two heading levels, lists, links and images — the
// HTML the server's article sanitizer keeps. Loaded as its own chunk when an editor opens (crew never load it).
// Images are uploaded first (PNG/JPEG, with progress) and inserted by their /api/knowledge/images address.
import Image from '@tiptap/extension-image';
import { EditorContent, useEditor, useEditorState } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useId, useRef, useState, type ChangeEvent } from 'react';
import type { UploadProgress } from '../../api/upload';
import { useI18n } from '../../i18n/I18nProvider';

export interface RichEditorProps {
  initialHtml: string;
  onChange: (html: string) => void;
  /** Uploads the image and answers its address. */
  uploadImage: (file: File, onProgress: (p: UploadProgress) => void) => Promise<string>;
  labelledBy: string;
  onError: (error: unknown) => void;
}

export function RichEditor({ initialHtml, onChange, uploadImage, labelledBy, onError }: RichEditorProps) {
  const { t } = useI18n();
  const fileId = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [percent, setPercent] = useState<number | null>(null);
  const editor = useEditor({
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3] },
        code: false,
        codeBlock: false,
        horizontalRule: false,
        link: { openOnClick: false, autolink: true, protocols: ['http', 'https', 'mailto'] },
      }),
      Image.configure({ inline: false, allowBase64: false }),
    ],
    content: initialHtml,
    editorProps: {
      attributes: { class: 'kb-editor__content', 'aria-labelledby': labelledBy, role: 'textbox', 'aria-multiline': 'true' },
    },
    onUpdate: ({ editor: current }) => onChange(current.getHTML()),
  });
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e?.isActive('bold') ?? false,
      italic: e?.isActive('italic') ?? false,
      h2: e?.isActive('heading', { level: 2 }) ?? false,
      h3: e?.isActive('heading', { level: 3 }) ?? false,
      bullet: e?.isActive('bulletList') ?? false,
      ordered: e?.isActive('orderedList') ?? false,
      link: e?.isActive('link') ?? false,
    }),
  });

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file || !editor) return;
    setPercent(0);
    try {
      const src = await uploadImage(file, (p) => setPercent(p.percent));
      const alt = window.prompt(t('kb.editor.imageAlt')) ?? '';
      editor.chain().focus().setImage({ src, alt }).run();
    } catch (error) {
      onError(error);
    } finally {
      setPercent(null);
    }
  };

  const onLink = () => {
    if (!editor) return;
    if (editor.isActive('link')) {
      editor.chain().focus().unsetLink().run();
      return;
    }
    const href = window.prompt(t('kb.editor.linkPrompt'));
    if (href) editor.chain().focus().extendMarkRange('link').setLink({ href }).run();
  };

  const tool = (label: string, pressed: boolean, run: () => void, glyph: string) => (
    <button
      type="button"
      className="kb-tool"
      aria-pressed={pressed}
      aria-label={label}
      title={label}
      // Keeps the selection in the editor: a click on the toolbar must not take the focus away.
      onMouseDown={(event) => event.preventDefault()}
      onClick={run}
    >
      {glyph}
    </button>
  );

  return (
    <div className="kb-editor" data-testid="kb-editor">
      <div className="kb-toolbar" role="toolbar" aria-label={t('kb.editor.toolbar')}>
        {tool(t('kb.editor.bold'), !!active?.bold, () => editor?.chain().focus().toggleBold().run(), 'B')}
        {tool(t('kb.editor.italic'), !!active?.italic, () => editor?.chain().focus().toggleItalic().run(), 'I')}
        {tool(t('kb.editor.heading'), !!active?.h2, () => editor?.chain().focus().toggleHeading({ level: 2 }).run(), 'H2')}
        {tool(t('kb.editor.subheading'), !!active?.h3, () => editor?.chain().focus().toggleHeading({ level: 3 }).run(), 'H3')}
        {tool(t('kb.editor.bulletList'), !!active?.bullet, () => editor?.chain().focus().toggleBulletList().run(), '•')}
        {tool(t('kb.editor.orderedList'), !!active?.ordered, () => editor?.chain().focus().toggleOrderedList().run(), '1.')}
        {tool(t('kb.editor.link'), !!active?.link, onLink, t('kb.editor.link'))}
        <label className="kb-tool" htmlFor={fileId} title={`${t('kb.editor.image')} — ${t('kb.editor.imageHint')}`}>
          {t('kb.editor.image')}
        </label>
        <input
          id={fileId}
          ref={fileRef}
          className="visually-hidden"
          type="file"
          accept="image/png,image/jpeg"
          onChange={(event) => void onFile(event)}
          data-testid="kb-image-input"
        />
      </div>
      {percent !== null ? (
        <div className="kb-upload" role="status">
          {t('kb.editor.uploading', { percent })}
          <progress max={100} value={percent} />
        </div>
      ) : null}
      <EditorContent editor={editor} />
    </div>
  );
}
