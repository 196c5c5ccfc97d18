# Sphinx configuration of the smppops.ovh docs site (made with antsibull-docs sphinx-init, then
# trimmed). The site is built offline: intersphinx is left out, since fetching other projects'
# inventories needs the internet and a missing one would be a warning, and warnings fail the build.

project = 'smppops.ovh'
copyright = 'smppops.ovh contributors'

title = 'smppops.ovh: OVHcloud SMPP accounts with Ansible'
html_short_title = 'smppops.ovh'

extensions = ['sphinx_antsibull_ext']

pygments_style = 'ansible'

highlight_language = 'YAML+Jinja'

html_theme = 'sphinx_ansible_theme'
html_show_sphinx = False

display_version = False

html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False

default_role = 'any'

nitpicky = True

# The pages antsibull-docs writes link to a few pages of the Ansible docs (action plugins, common
# return values, configuration settings and its ANSIBLE_* variables). Without intersphinx, this
# resolves exactly those references to docs.ansible.com; any other unresolved reference is still a
# warning, and fails the build.
ANSIBLE_DOCS = 'https://docs.ansible.com/projects/ansible/latest/'
ANSIBLE_LABELS = {
    'action_plugins': 'plugins/action.html',
    'common_return_values': 'reference_appendices/common_return_values.html',
    'ansible_configuration_settings': 'reference_appendices/config.html',
}


def _ansible_docs_reference(app, env, node, contnode):
    from docutils import nodes

    target, kind = node.get('reftarget', ''), node.get('reftype')
    if kind == 'ref' and target in ANSIBLE_LABELS:
        url = ANSIBLE_DOCS + ANSIBLE_LABELS[target]
    elif kind == 'envvar' and target.startswith('ANSIBLE_'):
        url = ANSIBLE_DOCS + 'reference_appendices/config.html#envvar-' + target
    else:
        return None
    reference = nodes.reference('', '', internal=False, refuri=url)
    reference.append(contnode)
    return reference


def setup(app):
    app.connect('missing-reference', _ansible_docs_reference)
