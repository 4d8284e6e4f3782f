"""Layer 4, render: run notebooks with papermill, export them to offline HTML, print HTML to A4 PDF, and keep
track of the child processes (kernels, Chromium) a batch starts.

Imports only the base modules and its own layer. papermill, nbformat and nbconvert are imported lazily, inside
the functions that need them, so that importing this layer stays cheap.
"""

from cchc_analysis.render.children import terminate_children
from cchc_analysis.render.execute import execute_notebook
from cchc_analysis.render.export import export_html
from cchc_analysis.render.pdf import find_chromium, print_pdf
from cchc_analysis.render.renderer import Renderer

__all__ = ["Renderer", "execute_notebook", "export_html", "find_chromium", "print_pdf", "terminate_children"]
